import { envInt } from '@pitboss/platform-config';
import { type RetryPolicy } from '@pitboss/settlement-domain';

import { type ZeroWinCreditSetting, zeroWinCreditSetting } from './zero-win-credit.setting';

type Env = Readonly<Record<string, string | undefined>>;

export interface SettleWorkerConfig {
  /** How long a settlement keeps retrying its credit before it is compensated. */
  readonly creditBudgetMs: number;
  readonly retry: RetryPolicy;
  /** How long a claimed bet stays with this replica without renewal (a dead replica's bets return after it). */
  readonly leaseMs: number;
  readonly timerPollMs: number;
  /** The poll once no poll found a due bet for a second (this replica's own sagas still wake the loop at once). */
  readonly timerIdlePollMs: number;
  /** Bets stepped in parallel by one replica. */
  readonly concurrency: number;
  /** Per tenant: whether a zero win is sent to the wallet as a credit of 0. */
  readonly zeroWinCredit: ZeroWinCreditSetting;
}

/** settle-worker's environment, with the defaults documented in docs/settle-worker.md. */
export function settleWorkerConfig(env: Env = process.env): SettleWorkerConfig {
  return {
    creditBudgetMs: envInt('SETTLE_CREDIT_BUDGET_MS', 24 * 3_600_000, env),
    retry: {
      baseMs: envInt('SETTLE_RETRY_BASE_MS', 200, env),
      maxMs: envInt('SETTLE_RETRY_MAX_MS', 60_000, env),
    },
    leaseMs: envInt('SETTLE_LEASE_MS', 15_000, env),
    timerPollMs: envInt('SETTLE_TIMER_POLL_MS', 50, env),
    timerIdlePollMs: envInt('SETTLE_TIMER_IDLE_POLL_MS', 1_000, env),
    concurrency: envInt('SETTLE_CONCURRENCY', 16, env),
    zeroWinCredit: zeroWinCreditSetting(env),
  };
}

export const SETTLE_WORKER_CONFIG = Symbol('SETTLE_WORKER_CONFIG');
