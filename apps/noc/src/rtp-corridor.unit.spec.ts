import { type GameRtp } from './rounds/round-window';
import { rtpVersusCorridors } from './rtp-corridor';
import { type RtpCorridor } from './scrape/scrape-figures';

const row = (overrides: Partial<GameRtp> = {}): GameRtp => ({
  game: 'starburst',
  currency: 'EUR',
  mathVersion: 'sb-1',
  settled: 10,
  stakes: 1_000,
  wins: 950,
  rtp: 0.95,
  hitRate: 0.4,
  ...overrides,
});
const corridor = (mathVersion: string, min: number, max: number): RtpCorridor => ({
  tenant: 't',
  game: 'starburst',
  mathVersion,
  certified: (min + max) / 2,
  min,
  max,
});

describe(rtpVersusCorridors.name, () => {
  const sut = rtpVersusCorridors;

  it("compares the RTP with the corridor of the bets' math version", () => {
    const corridors = [corridor('sb-1', 0.94, 0.97), corridor('sb-2', 0.96, 0.98)];
    expect(sut([row()], corridors)[0]).toMatchObject({
      corridor: { min: 0.94, max: 0.97, certified: 0.955 },
      inCorridor: true,
    });
    expect(sut([row({ mathVersion: 'sb-2' })], corridors)[0]).toMatchObject({ inCorridor: false });
  });

  it("uses the game's only corridor for bets without a math version, none when the game has several", () => {
    expect(sut([row({ mathVersion: null, rtp: 0.5 })], [corridor('sb-1', 0.94, 0.97)])[0]).toMatchObject({
      inCorridor: false,
    });
    const two = [corridor('sb-1', 0.94, 0.97), corridor('sb-2', 0.96, 0.98)];
    expect(sut([row({ mathVersion: null })], two)[0]).toMatchObject({ corridor: null, inCorridor: null });
  });

  it('has no judgement without a corridor or without an RTP', () => {
    expect(sut([row()], [])[0]).toMatchObject({ corridor: null, inCorridor: null });
    expect(sut([row({ rtp: null })], [corridor('sb-1', 0.9, 1)])[0]).toMatchObject({ inCorridor: null });
  });
});
