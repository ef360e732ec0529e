import { type MovementKind } from './movements';

/**
 * The ways a wallet report can disagree with the platform, in the order events and run records list them.
 * - missing_in_wallet: the platform expects a movement of the window the report lacks (money lost).
 * - unexpected_in_wallet: the report moved money no platform event explains.
 * - amount_mismatch: same key, another amount or currency.
 * - duplicate: the report holds one key more than once (each extra row is one).
 * - late: the wallet booked a movement in the window next to the one of its platform event (the run of that
 *   other window reported it missing); reconciled, so it does not count towards the ratio.
 */
export const DISCREPANCY_CLASSES = [
  'missing_in_wallet',
  'unexpected_in_wallet',
  'amount_mismatch',
  'duplicate',
  'late',
] as const;
export type DiscrepancyClass = (typeof DISCREPANCY_CLASSES)[number];

export interface Discrepancy {
  readonly class: DiscrepancyClass;
  readonly transactionKey: string;
  readonly kind: MovementKind;
  readonly playerId: string;
  /** Null when the platform expects nothing. */
  readonly expectedMinorUnits: number | null;
  /** Null when the report lacks the key; for a duplicate, the extra row's amount. */
  readonly actualMinorUnits: number | null;
  /** The expected currency when there is an expectation, else the report's. */
  readonly currency: string;
  /** The report's currency when it differs from `currency`. */
  readonly walletCurrency: string | null;
}

/** Money in doubt for one discrepancy, in minor units of its currency (late: none). */
export function discrepantMinorUnits(discrepancy: Discrepancy): number {
  switch (discrepancy.class) {
    case 'missing_in_wallet':
      return discrepancy.expectedMinorUnits ?? 0;
    case 'unexpected_in_wallet':
    case 'duplicate':
      return discrepancy.actualMinorUnits ?? 0;
    case 'amount_mismatch':
      // Another currency: the whole expected amount is in doubt.
      return discrepancy.walletCurrency !== null
        ? (discrepancy.expectedMinorUnits ?? 0)
        : Math.abs((discrepancy.expectedMinorUnits ?? 0) - (discrepancy.actualMinorUnits ?? 0));
    case 'late':
      return 0;
  }
}
