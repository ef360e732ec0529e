import { envInt } from '@pitboss/platform-config';

type Env = Readonly<Record<string, string | undefined>>;

/** bet-gateway's own settings; each has a documented default (docs/configuration.md). */
export interface GatewayConfig {
  /** How long a session accepts new bets. Settles and rollbacks ignore it. */
  readonly sessionTtlMs: number;
  /** Largest accepted request body; larger ones get PAYLOAD_TOO_LARGE. */
  readonly maxBodyBytes: number;
  /** Settlements accepted but not yet credited above which new sessions are refused (degraded mode). */
  readonly degradedBacklogThreshold: number;
  /** How often the settlement backlog is counted in the background (0: on every session opening instead). */
  readonly backlogSampleMs: number;
  /** A bet whose debit outcome was never recorded (the gateway died mid-call) is rolled back after this. */
  readonly debitRecoveryAfterMs: number;
  readonly grpcPort: number;
  /** One player's debits at the wallet at once, per replica; more wait in a queue of `maxQueuedDebitsPerPlayer`. */
  readonly maxDebitsInFlightPerPlayer: number;
  /** One player's debits waiting for a slot; beyond them authorizes are refused with TOO_MANY_BETS_IN_FLIGHT. */
  readonly maxQueuedDebitsPerPlayer: number;
}

export function gatewayConfig(env: Env = process.env): GatewayConfig {
  return {
    sessionTtlMs: envInt('SESSION_TTL_MS', 30 * 60_000, env),
    maxBodyBytes: envInt('MAX_BODY_BYTES', 16 * 1024, env),
    degradedBacklogThreshold: envInt('DEGRADED_BACKLOG_THRESHOLD', 10_000, env),
    backlogSampleMs: envInt('DEGRADED_BACKLOG_SAMPLE_MS', 1_000, env),
    debitRecoveryAfterMs: envInt('DEBIT_RECOVERY_AFTER_MS', 60_000, env),
    grpcPort: envInt('GRPC_PORT', 50051, env),
    maxDebitsInFlightPerPlayer: envInt('MAX_DEBITS_IN_FLIGHT_PER_PLAYER', 4, env),
    maxQueuedDebitsPerPlayer: envInt('MAX_QUEUED_DEBITS_PER_PLAYER', 4, env),
  };
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
