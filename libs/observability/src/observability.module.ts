import {
  type DynamicModule,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type OnApplicationShutdown,
} from '@nestjs/common';

import { HealthController } from './health/health.controller';
import { ReadinessRegistry } from './health/readiness.registry';
import { HttpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { createMetricsRegistry, METRICS_REGISTRY } from './metrics/metrics-registry';
import { MetricsController } from './metrics/metrics.controller';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions } from './observability.options';
import { stopTelemetry } from './telemetry/start-telemetry';

/**
 * Health probes (`/health/live`, `/health/ready`), Prometheus metrics (`/metrics`) and the readiness registry, for
 * every service. Global, so any module can inject `METRICS_REGISTRY` or `ReadinessRegistry` without importing it.
 */
@Module({})
export class ObservabilityModule implements NestModule, OnApplicationShutdown {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: OBSERVABILITY_OPTIONS, useValue: options },
        { provide: METRICS_REGISTRY, useFactory: () => createMetricsRegistry(options.serviceName) },
        ReadinessRegistry,
      ],
      exports: [OBSERVABILITY_OPTIONS, METRICS_REGISTRY, ReadinessRegistry],
    };
  }

  // Nest instantiates the middleware itself (listing it in providers too would register its histogram twice).
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('{*path}');
  }

  /** The spans still buffered go out before the process exits (a no-op when tracing is off). */
  async onApplicationShutdown(): Promise<void> {
    await stopTelemetry();
  }
}
