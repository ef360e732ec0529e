import { Registry } from 'prom-client';

import { RelayMetricsObserver } from './relay-metrics.observer';

describe(RelayMetricsObserver.name, () => {
  it('Given reads of an outbox, When some found rows and some none, Then each is counted once by what it found', async () => {
    const registry = new Registry();
    const observer = new RelayMetricsObserver(registry);

    observer.batchRead('bet_gateway', 0);
    observer.batchRead('bet_gateway', 3);
    observer.batchRead('bet_gateway', 0);
    observer.batchRead('settle_worker', 500);

    const text = await registry.getSingleMetricAsString('outbox_relay_reads_total');
    expect(text).toContain('outbox_relay_reads_total{source="bet_gateway",found="none"} 2');
    expect(text).toContain('outbox_relay_reads_total{source="bet_gateway",found="rows"} 1');
    expect(text).toContain('outbox_relay_reads_total{source="settle_worker",found="rows"} 1');
  });
});
