import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
} from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from '../metrics/metrics-registry';
import {
  type ReadinessCheck,
  type ReadinessCheckOptions,
  type ReadinessCheckResult,
  type ReadinessReport,
} from './readiness.types';
import { withTimeout } from './with-timeout';

export const DEFAULT_READINESS_TIMEOUT_MS = 2_000;

interface RegisteredCheck {
  readonly run: ReadinessCheck;
  readonly timeoutMs: number;
  lastStatus?: ReadinessCheckResult['status'];
}

/**
 * The dependencies a service needs to take traffic. Modules that own a client (pool, Kafka admin, Redis) register
 * its check in their `onModuleInit`; `GET /health/ready` evaluates them all.
 */
@Injectable()
export class ReadinessRegistry implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReadinessRegistry.name);
  private readonly checks = new Map<string, RegisteredCheck>();
  private readonly upGauge: Gauge<'check'>;
  private shuttingDown = false;

  constructor(@Inject(METRICS_REGISTRY) metrics: Registry) {
    this.upGauge = new Gauge({
      name: 'readiness_check_up',
      help: 'Whether a readiness check passed on its latest run (1) or not (0).',
      labelNames: ['check'],
      registers: [metrics],
    });
  }

  register(name: string, check: ReadinessCheck, options: ReadinessCheckOptions = {}): void {
    // Two modules claiming one name would hide one of the checks from the probe: a wiring bug worth failing boot.
    if (this.checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
    this.checks.set(name, { run: check, timeoutMs: options.timeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS });
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** From now on the service reports not ready, so load balancers stop sending it traffic while it drains. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  // Both hooks mark it: onModuleDestroy is the first one Nest calls on close, so the probe turns red before
  // consumers and relays start closing; beforeApplicationShutdown covers apps that close without destroying modules.
  onModuleDestroy(): void {
    this.markShuttingDown();
  }

  beforeApplicationShutdown(): void {
    this.markShuttingDown();
  }

  /** Runs every check concurrently, each bounded by its timeout. */
  async evaluate(): Promise<ReadinessReport> {
    if (this.shuttingDown) return { status: 'not_ready', reason: 'shutting_down', checks: {} };
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, await this.runCheck(name, check)] as const),
    );
    const checks = Object.fromEntries(entries);
    const ready = entries.every(([, result]) => result.status === 'up');
    return { status: ready ? 'ready' : 'not_ready', checks };
  }

  private async runCheck(name: string, check: RegisteredCheck): Promise<ReadinessCheckResult> {
    const startedAt = performance.now();
    const latency = (): number => Math.round(performance.now() - startedAt);
    let result: ReadinessCheckResult;
    try {
      // Promise.resolve().then(...) turns a check that throws synchronously into a rejection like any other.
      await withTimeout(
        Promise.resolve().then(check.run),
        check.timeoutMs,
        `timed out after ${check.timeoutMs} ms`,
      );
      result = { status: 'up', latency_ms: latency() };
    } catch (error) {
      result = { status: 'down', latency_ms: latency(), error: errorMessage(error) };
    }
    this.upGauge.set({ check: name }, result.status === 'up' ? 1 : 0);
    this.logTransition(name, check, result);
    return result;
  }

  // Probes run every few seconds; logging only the changes keeps an outage to two lines per dependency.
  private logTransition(name: string, check: RegisteredCheck, result: ReadinessCheckResult): void {
    if (check.lastStatus === result.status) return;
    if (result.status === 'down')
      this.logger.warn(`readiness check "${name}" is down: ${result.error ?? ''}`);
    else if (check.lastStatus === 'down') this.logger.log(`readiness check "${name}" is up again`);
    check.lastStatus = result.status;
  }
}

function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    // Node's connection errors to a dual-stack host (ECONNREFUSED on ::1 and 127.0.0.1) have an empty message.
    return error.errors.map(errorMessage).join('; ');
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
