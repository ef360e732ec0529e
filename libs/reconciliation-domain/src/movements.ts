/**
 * What a movement does to the player's balance: a stake taken (debit), a win or a bonus paid (credit), a stake
 * returned (rollback), bonus money turned into cash (convert) or taken back (forfeit) — the wallet's report — and
 * a deposit the PSP captured (deposit) — the PSP's report.
 */
export const MOVEMENT_KINDS = ['debit', 'credit', 'rollback', 'convert', 'forfeit', 'deposit'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/**
 * One movement the wallet should have made, as the mirror ledger learned it from a platform event. Keyed by the
 * wallet transaction key the platform sent the wallet (`bet:<tenant>:<bet_id>:debit|credit|rollback`), so the
 * wallet's report can be joined on it.
 */
export interface ExpectedMovement {
  readonly transactionKey: string;
  readonly tenantId: string;
  readonly playerId: string;
  readonly kind: MovementKind;
  /** Integer minor units of `currency`, never negative. */
  readonly minorUnits: number;
  readonly currency: string;
  /** When the platform event occurred (its envelope's occurred_at), ms since the epoch: decides the window. */
  readonly occurredAt: number;
}

/** One row of the wallet's daily transaction report (docs/reconciliation.md). */
export interface WalletReportRow {
  readonly transactionKey: string;
  readonly kind: MovementKind;
  readonly minorUnits: number;
  readonly currency: string;
  readonly playerId: string;
  /** When the wallet booked it, ms since the epoch. */
  readonly bookedAt: number;
}

/** A half-open time range [start, end) in ms since the epoch: one reconciled day. */
export interface ReconciliationWindow {
  readonly start: number;
  readonly end: number;
}

/** The UTC day `YYYY-MM-DD` as a window; throws RangeError on anything else. */
export function dayWindow(date: string): ReconciliationWindow {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const start = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!match || new Date(start).toISOString().slice(0, 10) !== date)
    throw new RangeError(`"${date}" is not a calendar date YYYY-MM-DD`);
  return { start, end: start + DAY_MS };
}

export const DAY_MS = 86_400_000;

export function inWindow(window: ReconciliationWindow, at: number): boolean {
  return at >= window.start && at < window.end;
}
