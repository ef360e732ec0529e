import { UNKNOWN_BET_FACTS } from '../bet-facts';
import { type RetryPolicy } from '../retry/retry-policy';
import { type StartSettlement } from './settlement.commands';
import { type SettlementEvent } from './settlement.events';
import { evolveSettlement, initialSettlementState, type SettlementState } from './settlement.state';

export const T0 = new Date('2026-01-01T00:00:00.000Z');
export const at = (ms: number): Date => new Date(T0.getTime() + ms);
export const retry: RetryPolicy = { baseMs: 200, maxMs: 60_000 };
export const maxJitter = (): number => 0.999_999;

export const aStart = (overrides: Partial<StartSettlement> = {}): StartSettlement => ({
  type: 'StartSettlement',
  betId: 'bet-1',
  win: { minor_units: 1_500, currency: 'EUR' },
  bet: { gameId: 'starburst', stake: { minor_units: 1_000, currency: 'EUR' }, mathVersion: 'v1' },
  mathVersion: 'v2',
  facts: UNKNOWN_BET_FACTS,
  requestedEventId: '00000000-0000-4000-8000-000000000001',
  requestedAt: at(-1_000),
  now: T0,
  budgetMs: 60_000,
  creditZeroWin: true,
  winCredit: 'cash',
  ...overrides,
});

export const given = (events: readonly SettlementEvent[]): SettlementState =>
  events.reduce(evolveSettlement, initialSettlementState());

export const started: SettlementEvent = {
  type: 'settlement.started',
  data: {
    bet_id: 'bet-1',
    win: { minor_units: 1_500, currency: 'EUR' },
    requested_event_id: '00000000-0000-4000-8000-000000000001',
    requested_at: at(-1_000).toISOString(),
    started_at: T0.toISOString(),
    deadline_at: at(60_000).toISOString(),
    ...UNKNOWN_BET_FACTS,
    game_id: 'starburst',
    stake: { minor_units: 1_000, currency: 'EUR' },
    math_version: 'v2',
  },
};

export const attemptStarted = (attempt: number, ms = 0): SettlementEvent => ({
  type: 'settlement.credit_attempt_started',
  data: { attempt, started_at: at(ms).toISOString(), resumes_unfinished_attempt: false },
});

export const attemptFailed = (attempt: number, nextMs: number): SettlementEvent => ({
  type: 'settlement.credit_attempt_failed',
  data: { attempt, cause: 'timeout', delivered: true, next_attempt_at: at(nextMs).toISOString() },
});

/** The facts `aStart` records: its bet's game, stake and the request's math version, nothing else known. */
export const recordedFacts = {
  ...UNKNOWN_BET_FACTS,
  game_id: 'starburst',
  stake: { minor_units: 1_000, currency: 'EUR' },
  math_version: 'v2',
};
