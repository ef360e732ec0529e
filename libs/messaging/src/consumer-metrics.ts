import { Counter, Gauge, type Registry } from 'prom-client';

export interface ConsumerMetrics {
  readonly outcomes: Counter<'topic' | 'outcome'>;
  readonly backoff: Counter<'topic'>;
  readonly lag: Gauge<'topic' | 'partition'>;
}

/**
 * The consumers' metrics, registered once per registry: a service with several consumers shares them, each
 * series told apart by its topic (and partition). Retries and dead letters are `outcome`s of the messages counter.
 */
export function consumerMetricsOf(registry: Registry): ConsumerMetrics {
  return {
    outcomes:
      existing<Counter<'topic' | 'outcome'>>(registry, 'kafka_consumer_messages_total') ??
      new Counter({
        name: 'kafka_consumer_messages_total',
        help: 'Messages handled by outcome (processed, retried, dead_lettered)',
        labelNames: ['topic', 'outcome'],
        registers: [registry],
      }),
    backoff:
      existing<Counter<'topic'>>(registry, 'kafka_consumer_retry_backoff_seconds_total') ??
      new Counter({
        name: 'kafka_consumer_retry_backoff_seconds_total',
        help: 'Time spent waiting between attempts of a failing message',
        labelNames: ['topic'],
        registers: [registry],
      }),
    lag:
      existing<Gauge<'topic' | 'partition'>>(registry, 'kafka_consumer_lag_messages') ??
      new Gauge({
        name: 'kafka_consumer_lag_messages',
        help: "Messages behind the partition's high watermark after the last processed batch",
        labelNames: ['topic', 'partition'],
        registers: [registry],
      }),
  };
}

function existing<T>(registry: Registry, name: string): T | undefined {
  return registry.getSingleMetric(name) as T | undefined;
}
