import { Controller, Get, Header, Inject } from '@nestjs/common';
import { prometheusContentType, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from './metrics-registry';

@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get()
  @Header('Content-Type', prometheusContentType)
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
