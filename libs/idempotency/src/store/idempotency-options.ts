import { ConfigError, envInt } from '@pitboss/platform-config';

type Env = Readonly<Record<string, string | undefined>>;

export interface IdempotencyOptions {
  /** How long a record (and so a key) lives after its first request. Env `IDEMPOTENCY_RETENTION_DAYS`, 30 days. */
  readonly retentionMs: number;
  /**
   * How long an execution holds its key before its process is presumed dead and a retry may take over. It must
   * exceed the slowest handler (wallet timeouts included). Env `IDEMPOTENCY_LEASE_MS`, 30 s.
   */
  readonly leaseMs: number;
  /** How long a concurrent request waits for the running one before `IN_PROGRESS`. Env `IDEMPOTENCY_WAIT_MS`, 2 s. */
  readonly waitMs: number;
  /** Pause between two looks at a running request while waiting for it. */
  readonly pollIntervalMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function idempotencyOptionsFromEnv(env: Env = process.env): IdempotencyOptions {
  return {
    retentionMs:
      atLeast('IDEMPOTENCY_RETENTION_DAYS', envInt('IDEMPOTENCY_RETENTION_DAYS', 30, env), 1) * DAY_MS,
    leaseMs: atLeast('IDEMPOTENCY_LEASE_MS', envInt('IDEMPOTENCY_LEASE_MS', 30_000, env), 1),
    waitMs: atLeast('IDEMPOTENCY_WAIT_MS', envInt('IDEMPOTENCY_WAIT_MS', 2_000, env), 0),
    pollIntervalMs: 50,
  };
}

function atLeast(name: string, value: number, minimum: number): number {
  if (value < minimum) throw new ConfigError(`${name} must be at least ${minimum}, got ${value}`);
  return value;
}
