import { type IncomingMessage, type ServerResponse } from 'node:http';

import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { Histogram, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from './metrics-registry';

/** Express sets `route` on the request once a handler matched; its `path` is the pattern, not the raw URL. */
type RoutedRequest = IncomingMessage & { route?: { path?: unknown } };

// Probes and scrapes run every few seconds and would drown the latency of real traffic in the SLO queries.
const UNMEASURED_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * Latency of every HTTP request by method, route pattern and status, the source of the p95 and error-rate SLOs
 * (buckets cluster around the 200 ms objective).
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(@Inject(METRICS_REGISTRY) metrics: Registry) {
    this.duration = new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'Duration of HTTP requests handled by the service.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5, 5],
      registers: [metrics],
    });
  }

  use(req: RoutedRequest, res: ServerResponse, next: () => void): void {
    const stop = this.duration.startTimer();
    res.once('finish', () => {
      const route = routeOf(req);
      if (UNMEASURED_ROUTES.has(route)) return;
      stop({ method: req.method ?? 'UNKNOWN', route, status_code: String(res.statusCode) });
    });
    next();
  }
}

// Raw URLs carry ids and would give every bet its own time series; unmatched requests share one label.
function routeOf(req: RoutedRequest): string {
  const path = req.route?.path;
  return typeof path === 'string' ? path : 'unmatched';
}
