import {
  DISCREPANCY_CLASSES,
  discrepantMinorUnits,
  type Discrepancy,
  type DiscrepancyClass,
} from './discrepancy';
import { MOVEMENT_KINDS, type MovementKind } from './movements';

/** The alert threshold when none is configured: 0.1 % of the expected money. */
export const DEFAULT_DISCREPANCY_THRESHOLD = 0.001;

/** A run's figures for one currency and kind (the run is one tenant's). */
export interface ReconciliationTotal {
  readonly currency: string;
  readonly kind: MovementKind;
  readonly expectedCount: number;
  readonly expectedMinorUnits: number;
  readonly walletCount: number;
  readonly walletMinorUnits: number;
  readonly matchedCount: number;
  /** Every class but late. */
  readonly discrepancyCount: number;
  readonly discrepantMinorUnits: number;
  /** discrepantMinorUnits / expectedMinorUnits; 1 when nothing was expected but money is in doubt. */
  readonly discrepancyRatio: number;
  readonly aboveThreshold: boolean;
}

export interface ReconciliationOutcome {
  /** Sorted by currency, then kind in MOVEMENT_KINDS order. */
  readonly totals: readonly ReconciliationTotal[];
  /** Every class, zero counts included. */
  readonly classCounts: Readonly<Record<DiscrepancyClass, number>>;
  /** The largest ratio of the totals. */
  readonly discrepancyRatio: number;
  readonly threshold: number;
  readonly alerted: boolean;
}

type MutableTotal = {
  -readonly [K in keyof ReconciliationTotal]: ReconciliationTotal[K];
};

/** Accumulates totals one movement at a time, so a report of millions of rows needs memory per currency only. */
export class ReconciliationTotals {
  private readonly byGroup = new Map<string, MutableTotal>();
  private readonly classCounts = Object.fromEntries(DISCREPANCY_CLASSES.map((c) => [c, 0])) as Record<
    DiscrepancyClass,
    number
  >;

  constructor(private readonly threshold: number = DEFAULT_DISCREPANCY_THRESHOLD) {
    if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`threshold ${threshold} is not in [0, 1]`);
  }

  expected(currency: string, kind: MovementKind, minorUnits: number): void {
    const total = this.group(currency, kind);
    total.expectedCount += 1;
    total.expectedMinorUnits += minorUnits;
  }

  walletRow(currency: string, kind: MovementKind, minorUnits: number): void {
    const total = this.group(currency, kind);
    total.walletCount += 1;
    total.walletMinorUnits += minorUnits;
  }

  matched(currency: string, kind: MovementKind): void {
    this.group(currency, kind).matchedCount += 1;
  }

  discrepancy(discrepancy: Discrepancy): void {
    this.classCounts[discrepancy.class] += 1;
    if (discrepancy.class === 'late') return;
    const total = this.group(discrepancy.currency, discrepancy.kind);
    total.discrepancyCount += 1;
    total.discrepantMinorUnits += discrepantMinorUnits(discrepancy);
  }

  outcome(): ReconciliationOutcome {
    const kindOrder = (kind: MovementKind) => MOVEMENT_KINDS.indexOf(kind);
    const totals = [...this.byGroup.values()]
      .map((total) => {
        const ratio = discrepancyRatio(total.discrepantMinorUnits, total.expectedMinorUnits);
        return { ...total, discrepancyRatio: ratio, aboveThreshold: ratio > this.threshold };
      })
      .sort((a, b) => a.currency.localeCompare(b.currency) || kindOrder(a.kind) - kindOrder(b.kind));
    const worst = totals.reduce((max, total) => Math.max(max, total.discrepancyRatio), 0);
    return {
      totals,
      classCounts: { ...this.classCounts },
      discrepancyRatio: worst,
      threshold: this.threshold,
      alerted: totals.some((total) => total.aboveThreshold),
    };
  }

  private group(currency: string, kind: MovementKind): MutableTotal {
    const id = `${currency}:${kind}`;
    let total = this.byGroup.get(id);
    if (!total) {
      total = {
        currency,
        kind,
        expectedCount: 0,
        expectedMinorUnits: 0,
        walletCount: 0,
        walletMinorUnits: 0,
        matchedCount: 0,
        discrepancyCount: 0,
        discrepantMinorUnits: 0,
        discrepancyRatio: 0,
        aboveThreshold: false,
      };
      this.byGroup.set(id, total);
    }
    return total;
  }
}

export function discrepancyRatio(discrepant: number, expected: number): number {
  if (discrepant === 0) return 0;
  return expected === 0 ? 1 : discrepant / expected;
}
