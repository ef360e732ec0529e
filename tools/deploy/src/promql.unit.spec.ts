import { type K8sObject } from './manifests';
import { isExported, metricNames, promqlExpressions, promqlSyntaxError } from './promql';
import { promqlTypeErrors } from './promql-analysis';

describe(metricNames.name, () => {
  it('lists the selected metrics, not functions, labels or keywords', () => {
    const expr =
      'sum by (le) (rate(http_server_request_duration_seconds_bucket{app="x"}[5m])) / on() settle_due_timers or vector(0)';
    expect(metricNames(expr)).toEqual(['http_server_request_duration_seconds_bucket', 'settle_due_timers']);
  });
});

describe(promqlSyntaxError.name, () => {
  it('is undefined for a valid expression and the error position otherwise', () => {
    expect(promqlSyntaxError('max by (source) (outbox_lag_seconds) > 5')).toBeUndefined();
    expect(promqlSyntaxError('sum(rate(x[5m]) ')).toBeDefined();
  });
});

describe(promqlExpressions.name, () => {
  it('finds the expressions of rules, analysis templates, KEDA triggers and dashboards', () => {
    const objects: K8sObject[] = [
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: 'r' },
        spec: { groups: [{ rules: [{ alert: 'A', expr: 'a > 1' }] }] },
      },
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AnalysisTemplate',
        metadata: { name: 't' },
        spec: {
          metrics: [{ name: 'm', provider: { prometheus: { query: 'b{hash="{{args.canary-hash}}"}' } } }],
        },
      },
      {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name: 's' },
        spec: {
          triggers: [
            { type: 'prometheus', metadata: { query: 'c' } },
            { type: 'kafka', metadata: {} },
          ],
        },
      },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'd', labels: { grafana_dashboard: '1' } },
        data: { 'd.json': JSON.stringify({ panels: [{ title: 'p', targets: [{ expr: 'd' }] }] }) },
      },
    ];
    expect(promqlExpressions(objects).map((e) => e.expr)).toEqual(['a > 1', 'b{hash="argument"}', 'c', 'd']);
  });
});

describe(isExported.name, () => {
  const exposition = [
    '# HELP settle_lag_seconds x',
    '# TYPE settle_lag_seconds histogram',
    '# TYPE settle_due_timers gauge',
    'settle_due_timers 0',
  ].join('\n');

  it('knows plain names and the series of a histogram', () => {
    expect(isExported('settle_due_timers', exposition)).toBe(true);
    expect(isExported('settle_lag_seconds_bucket', exposition)).toBe(true);
    expect(isExported('settle_lag_seconds_count', exposition)).toBe(true);
  });

  it('refuses a name nobody exports and a _count of a gauge', () => {
    expect(isExported('bets_rtp_ratio', exposition)).toBe(false);
    expect(isExported('settle_due_timers_count', exposition)).toBe(false);
  });
});

describe(promqlTypeErrors.name, () => {
  it('accepts well-typed expressions', () => {
    expect(
      promqlTypeErrors('histogram_quantile(0.95, sum by (le) (rate(settle_lag_seconds_bucket[5m]))) > 2'),
    ).toEqual([]);
  });

  it('names a function given an instant vector where it needs a range', () => {
    expect(promqlTypeErrors('rate(outbox_events_published_total)')).toEqual([
      'expected type matrix in call to function "rate", got vector',
    ]);
  });
});
