import { Controller, Get, Header, HttpStatus, Inject, Res } from '@nestjs/common';

import { ReadinessRegistry } from './readiness.registry';
import { type ReadinessReport } from './readiness.types';

/** The part of Express's and Fastify's reply both share, so this controller binds to neither. */
interface StatusReply {
  status(code: number): unknown;
}

@Controller('health')
export class HealthController {
  constructor(@Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry) {}

  /**
   * Liveness checks no dependency on purpose: a Kafka outage must make pods unready, not make Kubernetes restart
   * healthy ones in a loop.
   */
  @Get('live')
  @Header('Cache-Control', 'no-store')
  live(): { status: 'live' } {
    return { status: 'live' };
  }

  @Get('ready')
  @Header('Cache-Control', 'no-store')
  async ready(@Res({ passthrough: true }) reply: StatusReply): Promise<ReadinessReport> {
    const report = await this.readiness.evaluate();
    // Set on the reply rather than thrown, so an app's global exception filter cannot reshape the probe's body.
    reply.status(report.status === 'ready' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
