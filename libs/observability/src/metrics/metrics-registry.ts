import { collectDefaultMetrics, Registry } from 'prom-client';

/** Nest injection token of the service's prom-client `Registry`, the one `GET /metrics` serves. */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/**
 * A registry of the service's own rather than prom-client's global one, so several apps in one process (tests)
 * never collide on metric names.
 */
export function createMetricsRegistry(serviceName: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: serviceName });
  collectDefaultMetrics({ register: registry });
  return registry;
}
