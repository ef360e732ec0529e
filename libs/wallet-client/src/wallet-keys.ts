/**
 * Idempotency keys (the wallet's transaction ids) derived from business ids, so any retry by anyone (another
 * replica, a redelivered event, a recovering saga) sends the same key and money moves at most once.
 *
 * The tenant is part of the key because bet ids are the aggregator's, unique only within a tenant. A tenant id
 * may not contain `:`, so no two (tenant, id) pairs give one key.
 */
export const walletKeys = {
  debit: (tenantId: string, betId: string): string => key('bet', tenantId, betId, 'debit'),
  credit: (tenantId: string, betId: string): string => key('bet', tenantId, betId, 'credit'),
  rollback: (tenantId: string, betId: string): string => key('bet', tenantId, betId, 'rollback'),
  /** Bonus → cash conversion of one grant. */
  convert: (tenantId: string, grantId: string): string => key('grant', tenantId, grantId, 'convert'),
  /** The grant's bonus money credited when it is issued. */
  grantCredit: (tenantId: string, grantId: string): string => key('grant', tenantId, grantId, 'credit'),
  /** Reversal of that credit (a grant aborted after an uncertain credit). */
  grantCreditReversal: (tenantId: string, grantId: string): string =>
    key('grant', tenantId, grantId, 'credit-reversal'),
  /** What is left of the grant's bonus funds taken back (revoke, expiry, or the excess over max win). */
  forfeit: (tenantId: string, grantId: string): string => key('grant', tenantId, grantId, 'forfeit'),
} as const;

/** The wallet accepts keys of 1..255 printable ASCII characters without spaces. */
const PRINTABLE = /^[\x21-\x7e]+$/;

function key(kind: string, tenantId: string, businessId: string, operation: string): string {
  if (tenantId === '' || tenantId.includes(':'))
    throw new RangeError(`tenant id "${tenantId}" is empty or has a ':'`);
  if (businessId === '') throw new RangeError(`${kind} id is empty`);
  const derived = `${kind}:${tenantId}:${businessId}:${operation}`;
  if (derived.length > 255 || !PRINTABLE.test(derived))
    throw new RangeError(`wallet key "${derived}" is not 1..255 printable characters`);
  return derived;
}
