import { type RoundFact } from './round-facts';

export interface RoundWindowOptions {
  /** How far back the figures look (rates, RTP, hit rate, codes, heat map). */
  readonly windowMs: number;
  /** Width of one time bucket: the resolution of the bets/min series. */
  readonly bucketMs: number;
  /** Authorized bets remembered until their settlement (oldest forgotten first), bounding memory. */
  readonly maxOpenBets: number;
}

/** Actual RTP and hit rate of one game in one currency over the window (stakes and wins in minor units). */
export interface GameRtp {
  readonly game: string;
  readonly currency: string;
  /** The math version of the bets (the last one seen when several were played). */
  readonly mathVersion: string | null;
  readonly settled: number;
  readonly stakes: number;
  readonly wins: number;
  /** wins / stakes of the bets settled in the window; null without stakes. */
  readonly rtp: number | null;
  /** Share of the settled bets that won something. */
  readonly hitRate: number | null;
}

export interface RoundFigures {
  readonly windowMs: number;
  readonly bucketMs: number;
  /** Bets authorized in the last 60 s. */
  readonly betsPerMinute: number;
  /** Start of each bucket (ms) and the bets/min rate within it, oldest first; the current bucket is last. */
  readonly betsSeries: { readonly at: readonly number[]; readonly perMinute: readonly number[] };
  readonly authorized: number;
  readonly rejected: number;
  readonly settled: number;
  /** Share of the window's settled bets that won something. */
  readonly hitRate: number | null;
  readonly rtp: readonly GameRtp[];
  readonly topRejections: ReadonlyArray<{ readonly code: string; readonly count: number }>;
  /** Bets per country × game; `null` country: sessions opened without one. */
  readonly heat: {
    readonly countries: ReadonlyArray<string | null>;
    readonly games: readonly string[];
    readonly bets: ReadonlyArray<readonly number[]>;
  };
  /** Settlements of bets authorized before the NOC was listening (their stake is unknown, so not in RTP). */
  readonly unmatchedSettlements: number;
}

interface Bucket {
  authorized: number;
  rejected: number;
  unmatched: number;
  readonly rejections: Map<string, number>;
  /** `country\u0000game` → bets. */
  readonly heat: Map<string, number>;
  /** `game\u0000currency` → settled bets of the bucket. */
  readonly settled: Map<
    string,
    { settled: number; stakes: number; wins: number; hits: number; mathVersion: string | null }
  >;
}

interface OpenBet {
  readonly game: string;
  readonly currency: string;
  readonly stake: number;
  readonly mathVersion: string | null;
}

const SEP = '\u0000';

/**
 * The live figures of the round events: time buckets over a rolling window, fed by the consumer and read by
 * the page every second. An event is counted in the bucket of its `occurred_at` (clamped to now, so a skewed
 * clock cannot put it in the future), and events older than the window are ignored (a consumer catching up
 * must not show old traffic as a spike). RTP joins each settlement with its bet's stake from `bet.authorized`,
 * remembered until the bet settles or rolls back. Pure: time is passed in.
 */
export class RoundWindow {
  private readonly buckets = new Map<number, Bucket>();
  private readonly openBets = new Map<string, OpenBet>();

  constructor(private readonly options: RoundWindowOptions) {}

  record(fact: RoundFact, now: number): void {
    const at = Math.min(fact.at, now);
    if (fact.kind === 'authorized') this.remember(fact);
    if (at < now - this.options.windowMs) {
      if (fact.kind === 'settled' || fact.kind === 'rolled_back') this.openBets.delete(fact.bet);
      return;
    }
    const bucket = this.bucketAt(at);
    switch (fact.kind) {
      case 'authorized': {
        bucket.authorized++;
        const cell = `${fact.country ?? ''}${SEP}${fact.game}`;
        bucket.heat.set(cell, (bucket.heat.get(cell) ?? 0) + 1);
        return;
      }
      case 'rejected':
        bucket.rejected++;
        bucket.rejections.set(fact.reasonCode, (bucket.rejections.get(fact.reasonCode) ?? 0) + 1);
        return;
      case 'settled': {
        const bet = this.openBets.get(fact.bet);
        this.openBets.delete(fact.bet);
        if (bet === undefined) {
          bucket.unmatched++;
          return;
        }
        const key = `${bet.game}${SEP}${bet.currency}`;
        const row = bucket.settled.get(key) ?? { settled: 0, stakes: 0, wins: 0, hits: 0, mathVersion: null };
        row.settled++;
        row.stakes += bet.stake;
        row.wins += fact.win;
        if (fact.win > 0) row.hits++;
        row.mathVersion = bet.mathVersion ?? row.mathVersion;
        bucket.settled.set(key, row);
        return;
      }
      case 'rolled_back':
        this.openBets.delete(fact.bet);
        return;
    }
  }

  snapshot(now: number): RoundFigures {
    this.prune(now);
    const { bucketMs, windowMs } = this.options;
    const buckets = [...this.buckets].sort(([a], [b]) => a - b);
    const current = this.startOf(now);
    const at: number[] = [];
    const perMinute: number[] = [];
    for (
      let start = current - Math.floor(windowMs / bucketMs) * bucketMs;
      start <= current;
      start += bucketMs
    ) {
      at.push(start);
      // The current bucket is only partly elapsed: its rate is over the time it has run.
      const elapsed = start === current ? Math.max(1_000, now - start) : bucketMs;
      perMinute.push(((this.buckets.get(start)?.authorized ?? 0) * 60_000) / elapsed);
    }
    const sum = (pick: (bucket: Bucket) => number) => buckets.reduce((total, [, b]) => total + pick(b), 0);
    const rtp = this.rtpRows(buckets.map(([, bucket]) => bucket));
    const settled = rtp.reduce((total, row) => total + row.settled, 0);
    const hits = rtp.reduce((total, row) => total + (row.hitRate ?? 0) * row.settled, 0);
    return {
      windowMs,
      bucketMs,
      betsPerMinute: this.lastMinuteRate(now),
      betsSeries: { at, perMinute },
      authorized: sum((b) => b.authorized),
      rejected: sum((b) => b.rejected),
      settled,
      hitRate: settled === 0 ? null : hits / settled,
      rtp,
      topRejections: topOf(mergeCounts(buckets.map(([, b]) => b.rejections)), 8),
      heat: heatOf(mergeCounts(buckets.map(([, b]) => b.heat))),
      unmatchedSettlements: sum((b) => b.unmatched),
    };
  }

  private remember(fact: Extract<RoundFact, { kind: 'authorized' }>): void {
    this.openBets.set(fact.bet, {
      game: fact.game,
      currency: fact.currency,
      stake: fact.stake,
      mathVersion: fact.mathVersion,
    });
    // Maps iterate in insertion order: the first key is the bet remembered longest.
    while (this.openBets.size > this.options.maxOpenBets) {
      const oldest = this.openBets.keys().next().value;
      if (oldest === undefined) break;
      this.openBets.delete(oldest);
    }
  }

  /** Bets per minute over the buckets that overlap the last 60 s, divided by the time those buckets span. */
  private lastMinuteRate(now: number): number {
    const first = this.startOf(now - 60_000);
    let bets = 0;
    for (const [start, bucket] of this.buckets) if (start >= first) bets += bucket.authorized;
    return (bets * 60_000) / Math.max(1_000, now - first);
  }

  private rtpRows(buckets: readonly Bucket[]): GameRtp[] {
    const rows = new Map<string, GameRtp & { hits: number }>();
    for (const bucket of buckets) {
      for (const [key, cell] of bucket.settled) {
        const [game = '', currency = ''] = key.split(SEP);
        const row = rows.get(key) ?? {
          game,
          currency,
          mathVersion: null,
          settled: 0,
          stakes: 0,
          wins: 0,
          hits: 0,
          rtp: null,
          hitRate: null,
        };
        rows.set(key, {
          ...row,
          mathVersion: cell.mathVersion ?? row.mathVersion,
          settled: row.settled + cell.settled,
          stakes: row.stakes + cell.stakes,
          wins: row.wins + cell.wins,
          hits: row.hits + cell.hits,
        });
      }
    }
    return [...rows.values()]
      .map(({ hits, ...row }) => ({
        ...row,
        rtp: row.stakes === 0 ? null : row.wins / row.stakes,
        hitRate: row.settled === 0 ? null : hits / row.settled,
      }))
      .sort((a, b) => a.game.localeCompare(b.game) || a.currency.localeCompare(b.currency));
  }

  private bucketAt(at: number): Bucket {
    const start = this.startOf(at);
    let bucket = this.buckets.get(start);
    if (bucket === undefined) {
      bucket = {
        authorized: 0,
        rejected: 0,
        unmatched: 0,
        rejections: new Map(),
        heat: new Map(),
        settled: new Map(),
      };
      this.buckets.set(start, bucket);
    }
    return bucket;
  }

  private startOf(at: number): number {
    return Math.floor(at / this.options.bucketMs) * this.options.bucketMs;
  }

  private prune(now: number): void {
    const oldestKept = this.startOf(now - this.options.windowMs);
    for (const start of this.buckets.keys()) if (start < oldestKept) this.buckets.delete(start);
  }
}

function mergeCounts(maps: ReadonlyArray<ReadonlyMap<string, number>>): Map<string, number> {
  const merged = new Map<string, number>();
  for (const map of maps) for (const [key, n] of map) merged.set(key, (merged.get(key) ?? 0) + n);
  return merged;
}

function topOf(counts: ReadonlyMap<string, number>, limit: number): Array<{ code: string; count: number }> {
  return [...counts]
    .map(([code, count]) => ({ code, count }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
    .slice(0, limit);
}

function heatOf(cells: ReadonlyMap<string, number>): RoundFigures['heat'] {
  const parsed = [...cells].map(([key, bets]) => {
    const [country = '', game = ''] = key.split(SEP);
    return { country: country === '' ? null : country, game, bets };
  });
  const countries = [...new Set(parsed.map((cell) => cell.country))].sort((a, b) =>
    a === null ? 1 : b === null ? -1 : a.localeCompare(b),
  );
  const games = [...new Set(parsed.map((cell) => cell.game))].sort();
  const bets = countries.map((country) =>
    games.map((game) => parsed.find((cell) => cell.country === country && cell.game === game)?.bets ?? 0),
  );
  return { countries, games, bets };
}
