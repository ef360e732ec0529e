/**
 * The continuous detectors, besides the daily runs:
 * - settlement_unresolved: a settlement.requested with neither bet.settled nor settlement.compensated after the
 *   configured time (a settlement lost between settle-worker and the wallet);
 * - settled_twice: a second bet.settled of one bet (money could be credited twice);
 * - compensated_but_credited: a settlement compensated as failed whose credit the wallet's report shows after
 *   all (the wallet did credit: the player may be paid twice).
 */
export const DETECTORS = ['settlement_unresolved', 'settled_twice', 'compensated_but_credited'] as const;
export type Detector = (typeof DETECTORS)[number];

/** What the settlement watch knows of one bet. */
export interface SettlementWatch {
  /** ms since the epoch; null until settlement.requested is mirrored. */
  readonly requestedAt: number | null;
  readonly settledCount: number;
  readonly compensated: boolean;
  readonly alerted: boolean;
}

/** The watch is overdue at `now`: requested, neither settled nor compensated after `timeoutMs`, not alerted. */
export function isSettlementUnresolved(watch: SettlementWatch, now: number, timeoutMs: number): boolean {
  return (
    watch.requestedAt !== null &&
    watch.settledCount === 0 &&
    !watch.compensated &&
    !watch.alerted &&
    now - watch.requestedAt >= timeoutMs
  );
}

/** The bet of a credit key `bet:<tenant>:<bet_id>:credit`, or null for any other key. */
export function betIdOfCreditKey(tenantId: string, transactionKey: string): string | null {
  const prefix = `bet:${tenantId}:`;
  const suffix = ':credit';
  if (!transactionKey.startsWith(prefix) || !transactionKey.endsWith(suffix)) return null;
  const betId = transactionKey.slice(prefix.length, transactionKey.length - suffix.length);
  return betId === '' ? null : betId;
}
