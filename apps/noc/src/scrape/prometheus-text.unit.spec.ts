import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

import { bucketBound, parsePrometheusText } from './prometheus-text';

describe(parsePrometheusText.name, () => {
  const sut = parsePrometheusText;

  it('reads prom-client output: labelled histogram series keep their labels, sum and count', () => {
    const text = [
      '# HELP wallet_call_seconds Wallet call duration',
      '# TYPE wallet_call_seconds histogram',
      'wallet_call_seconds_bucket{le="0.1",service="bet-gateway",operation="debit",outcome="ok"} 3',
      'wallet_call_seconds_bucket{le="+Inf",service="bet-gateway",operation="debit",outcome="ok"} 4',
      'wallet_call_seconds_sum{service="bet-gateway",operation="debit",outcome="ok"} 0.42',
      'wallet_call_seconds_count{service="bet-gateway",operation="debit",outcome="ok"} 4',
      'wallet_call_seconds_bucket{le="+Inf",service="bet-gateway",operation="credit",outcome="uncertain"} 1',
      '',
    ].join('\n');
    const { samples, unreadable } = sut(text);
    expect(unreadable).toEqual([]);
    expect(samples).toEqual([
      {
        name: 'wallet_call_seconds_bucket',
        labels: { le: '0.1', service: 'bet-gateway', operation: 'debit', outcome: 'ok' },
        value: 3,
      },
      {
        name: 'wallet_call_seconds_bucket',
        labels: { le: '+Inf', service: 'bet-gateway', operation: 'debit', outcome: 'ok' },
        value: 4,
      },
      {
        name: 'wallet_call_seconds_sum',
        labels: { service: 'bet-gateway', operation: 'debit', outcome: 'ok' },
        value: 0.42,
      },
      {
        name: 'wallet_call_seconds_count',
        labels: { service: 'bet-gateway', operation: 'debit', outcome: 'ok' },
        value: 4,
      },
      {
        name: 'wallet_call_seconds_bucket',
        labels: { le: '+Inf', service: 'bet-gateway', operation: 'credit', outcome: 'uncertain' },
        value: 1,
      },
    ]);
  });

  it('reads unlabelled samples, timestamps, special values and escaped label values', () => {
    const { samples } = sut(
      [
        'process_start_time_seconds 1700000000',
        'up 1 1700000000123',
        'gauge_inf +Inf',
        'gauge_nan NaN',
        'gauge_neg -2.5e-3',
        'escaped{msg="a \\"quoted\\" \\\\ back\\nslash",x="1,}"} 7',
      ].join('\n'),
    );
    expect(samples.map((s) => [s.name, s.value])).toEqual([
      ['process_start_time_seconds', 1_700_000_000],
      ['up', 1],
      ['gauge_inf', Number.POSITIVE_INFINITY],
      ['gauge_nan', Number.NaN],
      ['gauge_neg', -0.0025],
      ['escaped', 7],
    ]);
    expect(samples.at(-1)?.labels).toEqual({ msg: 'a "quoted" \\ back\nslash', x: '1,}' });
  });

  it('reads every line prom-client serves, its default metrics and awkward label values included', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'bet-gateway' });
    collectDefaultMetrics({ register: registry });
    new Histogram({
      name: 'odd_seconds',
      help: 'help with "quotes" \\ and\nnewline',
      labelNames: ['route'],
      registers: [registry],
    }).observe({ route: '/v1/"odd"\\path' }, 0.3);
    new Counter({ name: 'odd_total', help: 'h', labelNames: ['code'], registers: [registry] }).inc(
      { code: 'A,B}' },
      2,
    );
    const { samples, unreadable } = parsePrometheusText(await registry.metrics());
    expect(unreadable).toEqual([]);
    expect(samples.length).toBeGreaterThan(30);
    expect(samples.find((sample) => sample.name === 'odd_seconds_count')).toEqual({
      name: 'odd_seconds_count',
      labels: { service: 'bet-gateway', route: '/v1/"odd"\\path' },
      value: 1,
    });
    expect(samples.find((sample) => sample.name === 'odd_total')?.labels['code']).toBe('A,B}');
  });

  it('reports malformed lines with their number and keeps reading', () => {
    const { samples, unreadable } = sut('good 1\nbad{le="0.1" 2\n9starts_with_digit 1\nno_value\ntwo 2\n');
    expect(samples.map((s) => s.name)).toEqual(['good', 'two']);
    expect(unreadable).toEqual([
      { line: 2, text: 'bad{le="0.1" 2' },
      { line: 3, text: '9starts_with_digit 1' },
      { line: 4, text: 'no_value' },
    ]);
  });

  it('reads a bucket bound, +Inf included', () => {
    expect(bucketBound({ le: '0.25' })).toBe(0.25);
    expect(bucketBound({ le: '+Inf' })).toBe(Number.POSITIVE_INFINITY);
    expect(bucketBound({})).toBeNaN();
  });
});
