import { type RoundFact } from './round-facts';
import { RoundWindow } from './round-window';

const T0 = 1_800_000_000_000;
const options = { windowMs: 60_000, bucketMs: 5_000, maxOpenBets: 1_000 };

function authorized(
  bet: string,
  at: number,
  overrides: Partial<Extract<RoundFact, { kind: 'authorized' }>> = {},
) {
  return {
    kind: 'authorized',
    at,
    bet,
    game: 'starburst',
    currency: 'EUR',
    stake: 100,
    mathVersion: 'sb-1',
    country: 'DE',
    ...overrides,
  } as const satisfies RoundFact;
}
const settled = (bet: string, at: number, win: number): RoundFact => ({ kind: 'settled', at, bet, win });

describe(RoundWindow.name, () => {
  it('Given no events, Then every figure is empty and the series is all zeros', () => {
    const sut = new RoundWindow(options).snapshot(T0);
    expect(sut.betsPerMinute).toBe(0);
    expect(sut.betsSeries.perMinute.every((n) => n === 0)).toBe(true);
    expect(sut.betsSeries.at).toHaveLength(13);
    expect(sut.hitRate).toBeNull();
    expect(sut.rtp).toEqual([]);
    expect(sut.heat).toEqual({ countries: [], games: [], bets: [] });
  });

  it('Given bets over the last minute, Then bets/min is their rate and the series shows them per bucket', () => {
    const sut = new RoundWindow(options);
    // 30 bets in the 30 s before T0 (one a second).
    for (let i = 0; i < 30; i++) sut.record(authorized(`b${i}`, T0 - 30_000 + i * 1_000), T0);
    const figures = sut.snapshot(T0);
    // The buckets overlapping the last 60 s span exactly 60 s here (T0 is a bucket boundary).
    expect(figures.betsPerMinute).toBe(30);
    expect(figures.authorized).toBe(30);
    // Each full 5 s bucket held 5 bets: 60 per minute.
    expect(figures.betsSeries.perMinute.slice(-7, -1)).toEqual([60, 60, 60, 60, 60, 60]);
  });

  it('Given settled bets, Then RTP is wins over stakes per game and currency, and hit rate the share that won', () => {
    const sut = new RoundWindow(options);
    sut.record(authorized('a', T0 - 5_000), T0);
    sut.record(authorized('b', T0 - 5_000), T0);
    sut.record(authorized('c', T0 - 5_000, { stake: 200 }), T0);
    sut.record(authorized('s', T0 - 5_000, { currency: 'SEK', stake: 1_000, game: 'starburst' }), T0);
    sut.record(settled('a', T0 - 1_000, 0), T0);
    sut.record(settled('b', T0 - 1_000, 250), T0);
    sut.record(settled('c', T0 - 1_000, 100), T0);
    sut.record(settled('s', T0 - 1_000, 900), T0);
    const figures = sut.snapshot(T0);
    expect(figures.rtp).toEqual([
      {
        game: 'starburst',
        currency: 'EUR',
        mathVersion: 'sb-1',
        settled: 3,
        stakes: 400,
        wins: 350,
        rtp: 0.875,
        hitRate: 2 / 3,
      },
      {
        game: 'starburst',
        currency: 'SEK',
        mathVersion: 'sb-1',
        settled: 1,
        stakes: 1_000,
        wins: 900,
        rtp: 0.9,
        hitRate: 1,
      },
    ]);
    expect(figures.settled).toBe(4);
    expect(figures.hitRate).toBe(0.75);
  });

  it('Given a settlement of a bet authorized before the NOC listened, Then it is counted apart, not in RTP', () => {
    const sut = new RoundWindow(options);
    sut.record(settled('unknown', T0, 500), T0);
    expect(sut.snapshot(T0)).toMatchObject({ rtp: [], settled: 0, unmatchedSettlements: 1 });
  });

  it('Given a rolled back bet, Then a later settlement of it finds no stake', () => {
    const sut = new RoundWindow(options);
    sut.record(authorized('a', T0), T0);
    sut.record({ kind: 'rolled_back', at: T0, bet: 'a' }, T0);
    sut.record(settled('a', T0, 100), T0);
    expect(sut.snapshot(T0).unmatchedSettlements).toBe(1);
  });

  it('Given rejections, Then the top codes are counted, most frequent first', () => {
    const sut = new RoundWindow(options);
    const rejected = (reasonCode: string): RoundFact => ({ kind: 'rejected', at: T0, game: 'g', reasonCode });
    for (const code of ['INSUFFICIENT_FUNDS', 'PLAYER_BLOCKED', 'INSUFFICIENT_FUNDS', 'WALLET_UNAVAILABLE'])
      sut.record(rejected(code), T0);
    expect(sut.snapshot(T0).topRejections).toEqual([
      { code: 'INSUFFICIENT_FUNDS', count: 2 },
      { code: 'PLAYER_BLOCKED', count: 1 },
      { code: 'WALLET_UNAVAILABLE', count: 1 },
    ]);
  });

  it('Given bets from several countries, Then the heat map counts bets per country × game, unknown last', () => {
    const sut = new RoundWindow(options);
    sut.record(authorized('1', T0, { country: 'SE', game: 'roulette' }), T0);
    sut.record(authorized('2', T0, { country: 'DE', game: 'starburst' }), T0);
    sut.record(authorized('3', T0, { country: 'DE', game: 'starburst' }), T0);
    sut.record(authorized('4', T0, { country: null, game: 'roulette' }), T0);
    expect(sut.snapshot(T0).heat).toEqual({
      countries: ['DE', 'SE', null],
      games: ['roulette', 'starburst'],
      bets: [
        [0, 2],
        [1, 0],
        [1, 0],
      ],
    });
  });

  it('Given time passing, Then events leave the figures with the window, and old events are not counted', () => {
    const sut = new RoundWindow(options);
    sut.record(authorized('a', T0), T0);
    sut.record(settled('a', T0, 100), T0);
    expect(sut.snapshot(T0 + 59_000).authorized).toBe(1);
    const later = sut.snapshot(T0 + 70_000);
    expect(later).toMatchObject({ authorized: 0, settled: 0, rtp: [] });
    // An event from before the window (a consumer catching up) shows no spike.
    sut.record(authorized('old', T0), T0 + 70_000);
    expect(sut.snapshot(T0 + 70_000).authorized).toBe(0);
  });

  it('Given a clock ahead of ours, Then the event counts now, not in the future', () => {
    const sut = new RoundWindow(options);
    sut.record(authorized('a', T0 + 3_600_000), T0);
    expect(sut.snapshot(T0).betsSeries.perMinute.at(-1)).toBeGreaterThan(0);
  });

  it('Given more open bets than it may remember, Then the oldest are forgotten first', () => {
    const sut = new RoundWindow({ ...options, maxOpenBets: 2 });
    for (const bet of ['a', 'b', 'c']) sut.record(authorized(bet, T0), T0);
    for (const bet of ['a', 'b', 'c']) sut.record(settled(bet, T0, 50), T0);
    expect(sut.snapshot(T0)).toMatchObject({ settled: 2, unmatchedSettlements: 1 });
  });
});
