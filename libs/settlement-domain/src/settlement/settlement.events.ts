import { type BetSettled, type Money, type SettlementCompensated } from '@pitboss/contracts';

/**
 * The settlement saga's stream. `bet.settled` and `settlement.compensated` are the public facts (their types
 * belong to `rgs.settlements.v1`, so the event store queues them for publication); every other event is the
 * saga's own record of each step, kept private to settle-worker. Times are ISO-8601 strings (the stored JSON).
 */
export interface SettlementStarted {
  readonly type: 'settlement.started';
  readonly data: {
    readonly bet_id: string;
    readonly win: Money;
    /** event_id of the `settlement.requested` that started the saga (also the envelope's causation_id). */
    readonly requested_event_id: string;
    readonly requested_at: string;
    readonly started_at: string;
    /** After this instant an unfinished credit is compensated instead of retried. */
    readonly deadline_at: string;
    /**
     * The bet's game, stake and math version, for the business metrics counted when it is credited. Absent in
     * streams started before they were recorded, null when settle-worker never saw the bet's `bet.authorized`.
     */
    readonly game_id?: string | null;
    readonly stake?: Money | null;
    readonly math_version?: string | null;
    /** The rest of the bet's facts, copied into `bet.settled`; absent in streams started before they were. */
    readonly game_type?: string | null;
    readonly provider?: string | null;
    readonly bonus_grant_id?: string | null;
    readonly entitlement_id?: string | null;
    readonly funded_by?: string | null;
  };
}

/** Recorded before the wallet call: a crash from here on is resumed by calling again with the same key. */
export interface CreditAttemptStarted {
  readonly type: 'settlement.credit_attempt_started';
  readonly data: {
    readonly attempt: number;
    readonly started_at: string;
    /** The previous attempt's outcome was never recorded (its worker died or lost its lease). */
    readonly resumes_unfinished_attempt: boolean;
  };
}

export interface CreditAttemptFailed {
  readonly type: 'settlement.credit_attempt_failed';
  readonly data: {
    readonly attempt: number;
    readonly cause: string;
    /** false: the request provably never reached the wallet. */
    readonly delivered: boolean;
    readonly next_attempt_at: string;
  };
}

export interface CreditConfirmed {
  readonly type: 'settlement.credit_confirmed';
  readonly data: {
    /** 0 when the wallet was not called: a zero win of a tenant whose wallet takes no zero credit. */
    readonly attempt: number;
    readonly wallet_transaction_id: string | null;
    readonly confirmed_at: string;
  };
}

export interface CreditRejected {
  readonly type: 'settlement.credit_rejected';
  readonly data: { readonly attempt: number; readonly code: string; readonly message: string };
}

/** A second `settlement.requested` for the same bet with another win: ignored, and worth an alert. */
export interface SettlementRequestConflicted {
  readonly type: 'settlement.request_conflicted';
  readonly data: { readonly requested_event_id: string; readonly win: Money };
}

export interface BetSettledEvent {
  readonly type: 'bet.settled';
  readonly data: BetSettled;
}

export interface SettlementCompensatedEvent {
  readonly type: 'settlement.compensated';
  readonly data: SettlementCompensated;
}

export type SettlementEvent =
  | SettlementStarted
  | CreditAttemptStarted
  | CreditAttemptFailed
  | CreditConfirmed
  | CreditRejected
  | SettlementRequestConflicted
  | BetSettledEvent
  | SettlementCompensatedEvent;

/** `win_credit` of a `settlement.requested` whose win bonus-grant credits as a grant. */
export const BONUS_WIN_CREDIT = 'bonus';

/** `reason` of `settlement.compensated`. A rejection carries the wallet's code: `CREDIT_REJECTED:<code>`. */
export const CompensationReason = {
  BudgetExhausted: 'CREDIT_BUDGET_EXHAUSTED',
  rejected: (code: string) => `CREDIT_REJECTED:${code}`,
} as const;
