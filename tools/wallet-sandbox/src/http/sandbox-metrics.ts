import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the sandbox answered, served at `GET /metrics` on the admin port (Prometheus text format). */
export class SandboxMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'wallet_sandbox_requests_total',
    help: 'Wallet API requests by operation, HTTP status (0: no answer) and injected fault',
    labelNames: ['operation', 'status', 'fault'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'wallet_sandbox_request_duration_seconds',
    help: 'Wallet API handling time, injected latency included',
    labelNames: ['operation'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  private readonly inFlight = new Gauge({
    name: 'wallet_sandbox_requests_in_flight',
    help: 'Wallet API requests received and not yet answered (injected latency included), by operation',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  constructor() {
    this.registry.setDefaultLabels({ service: 'wallet-sandbox' });
    collectDefaultMetrics({ register: this.registry });
  }

  /** A request has arrived; the returned function marks it handled. */
  received(operation: string): () => void {
    this.inFlight.inc({ operation });
    return () => this.inFlight.dec({ operation });
  }

  record(operation: string, status: number, fault: string, seconds: number): void {
    this.requests.inc({ operation, status: String(status), fault });
    this.duration.observe({ operation }, seconds);
  }
}
