/** Resolves when the dependency answers, rejects (with a message worth reading in a probe log) when it does not. */
export type ReadinessCheck = () => Promise<void>;

export interface ReadinessCheckOptions {
  /** How long the check may take before it counts as down; 2 s unless told. */
  readonly timeoutMs?: number;
}

export interface ReadinessCheckResult {
  readonly status: 'up' | 'down';
  readonly latency_ms: number;
  readonly error?: string;
}

/** The body of `GET /health/ready` (snake_case, as every JSON the services expose). */
export interface ReadinessReport {
  readonly status: 'ready' | 'not_ready';
  /** Set when the app is draining: no check ran. */
  readonly reason?: 'shutting_down';
  readonly checks: Readonly<Record<string, ReadinessCheckResult>>;
}
