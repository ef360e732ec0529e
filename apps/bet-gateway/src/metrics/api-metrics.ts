import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from '@pitboss/observability';

import { apiErrorClassOf } from './api-error-class';

export type ApiTransport = 'http' | 'grpc';

/**
 * The aggregator API's own metrics beside libs/observability's `http_server_request_duration_seconds`: gRPC call
 * latency (HTTP has that histogram already) and error answers by catalogue code and class, on both transports.
 */
@Injectable()
export class ApiMetrics {
  private readonly grpcDuration: Histogram<'method' | 'code'>;
  private readonly errors: Counter<'transport' | 'route' | 'code' | 'class'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    // The HTTP histogram's buckets, so the two transports' p95 read alike against the 200 ms objective.
    this.grpcDuration = new Histogram({
      name: 'grpc_server_request_duration_seconds',
      help: 'Duration of gRPC calls handled by the service, by method and gRPC status code name.',
      labelNames: ['method', 'code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    this.errors = new Counter({
      name: 'api_errors_total',
      help: 'Error answers of the aggregator API by transport, route (HTTP pattern or gRPC method), catalogue code and class (client, server, business)',
      labelNames: ['transport', 'route', 'code', 'class'],
      registers: [registry],
    });
  }

  grpcCall(method: string, code: string, seconds: number): void {
    this.grpcDuration.observe({ method, code }, seconds);
  }

  /** `httpStatus` classes an answer whose body named no catalogue code (gRPC passes the code's HTTP status). */
  apiError(transport: ApiTransport, route: string, code: string, httpStatus: number): void {
    this.errors.inc({ transport, route, code, class: apiErrorClassOf(code, httpStatus) });
  }
}
