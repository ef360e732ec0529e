import { percentile } from '../demo/latency-stats';

/**
 * bench:grants' latency figures, pure: each credited grant's time from the request that caused it (the API call
 * sent, or the deposit first published) to its credit recorded in its event stream (the stream's `bonus.issued`,
 * appended once the wallet credited), and from `grant.issued` to that credit (the saga's own share). No I/O:
 * unit-tested.
 */
export interface GrantTimes {
  readonly grantId: string;
  readonly trigger: string;
  readonly triggerRef: string;
  /** occurred_at of the stream's `grant.issued`, epoch ms. */
  readonly issuedAt: number;
  /** occurred_at of the stream's `bonus.issued` (the wallet credited), epoch ms; undefined: never credited. */
  readonly creditedAt: number | undefined;
}

export interface RequestTimes {
  /** deposit id → when the bench first published it. */
  readonly deposits: ReadonlyMap<string, number>;
  /** grant id → when the bench first sent the request (under its key) that was answered with it. */
  readonly api: ReadonlyMap<string, number>;
}

export interface GrantLatencies {
  readonly depositToCredited: number[];
  readonly apiToCredited: number[];
  readonly issuedToCredited: number[];
  /** Credited grants whose cause the bench cannot time (not one of its deposits or answers). */
  readonly untimed: number;
}

export function grantLatencies(grants: readonly GrantTimes[], sent: RequestTimes): GrantLatencies {
  const figures: GrantLatencies = {
    depositToCredited: [],
    apiToCredited: [],
    issuedToCredited: [],
    untimed: 0,
  };
  for (const grant of grants) {
    if (grant.creditedAt === undefined) continue;
    figures.issuedToCredited.push(grant.creditedAt - grant.issuedAt);
    const at =
      grant.trigger === 'deposit' ? sent.deposits.get(grant.triggerRef) : sent.api.get(grant.grantId);
    if (at === undefined) (figures as { untimed: number }).untimed += 1;
    else
      (grant.trigger === 'deposit' ? figures.depositToCredited : figures.apiToCredited).push(
        grant.creditedAt - at,
      );
  }
  return figures;
}

export interface LatencySummary {
  readonly n: number;
  readonly p50_ms: number | null;
  readonly p95_ms: number | null;
  readonly p99_ms: number | null;
  readonly max_ms: number | null;
}

/** Nearest-rank percentiles (every figure was observed), whole ms. */
export function summarize(samples: readonly number[]): LatencySummary {
  const ascending = [...samples].sort((a, b) => a - b);
  const ms = (value: number | undefined) => (value === undefined ? null : Math.round(value));
  return {
    n: ascending.length,
    p50_ms: ms(percentile(ascending, 50)),
    p95_ms: ms(percentile(ascending, 95)),
    p99_ms: ms(percentile(ascending, 99)),
    max_ms: ms(ascending.at(-1)),
  };
}
