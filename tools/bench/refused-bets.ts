import { type SandboxLedgerEntry } from '@pitboss/testing';

/**
 * What the wallet did with a bet whose authorize was refused. A refusal the gateway answered after an uncertain
 * debit (WALLET_UNAVAILABLE, a timeout) may hide a debit the wallet did book: the gateway then rolls it back by
 * key. So a refused bet's ledger is either empty or that debit and its rollback, equal amounts; anything else is
 * money a refusal left moved ("stranded").
 */
export type RefusedBetMovements =
  | { readonly kind: 'none' }
  | { readonly kind: 'reversed'; readonly minorUnits: number; readonly currency: string }
  | { readonly kind: 'stranded'; readonly detail: string };

export function refusedBetMovements(entries: readonly SandboxLedgerEntry[]): RefusedBetMovements {
  if (entries.length === 0) return { kind: 'none' };
  const [debit, rollback, ...rest] = entries;
  if (
    rest.length === 0 &&
    debit?.kind === 'debit' &&
    rollback?.kind === 'rollback' &&
    rollback.reverses_transaction_id === debit.transaction_id &&
    rollback.amount.minor_units === debit.amount.minor_units &&
    rollback.amount.currency === debit.amount.currency
  )
    return { kind: 'reversed', minorUnits: debit.amount.minor_units, currency: debit.amount.currency };
  return {
    kind: 'stranded',
    detail: entries
      .map((entry) => `${entry.kind} ${entry.amount.minor_units} ${entry.amount.currency}`)
      .join(', '),
  };
}
