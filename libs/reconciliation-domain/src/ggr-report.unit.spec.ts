import { ggrReport } from './ggr-report';

describe(ggrReport.name, () => {
  it('given two games and a conversion in EUR, then each game has its GGR and RTP and the ALL line its NGR', () => {
    const sut = ggrReport(
      't1',
      '2026-03-10',
      [
        { gameId: 'starburst', currency: 'EUR', bets: 3, debited: 1_000, rolledBack: 100, credited: 450 },
        { gameId: 'book-of-dead', currency: 'EUR', bets: 1, debited: 200, rolledBack: 0, credited: 0 },
      ],
      [{ currency: 'EUR', converted: 300 }],
    );

    expect(sut.lines).toEqual([
      {
        gameId: 'book-of-dead',
        currency: 'EUR',
        bets: 1,
        stakes: 200,
        wins: 0,
        ggr: 200,
        bonusCost: 0,
        ngr: 200,
        rtp: 0,
      },
      {
        gameId: 'starburst',
        currency: 'EUR',
        bets: 3,
        stakes: 900,
        wins: 450,
        ggr: 450,
        bonusCost: 0,
        ngr: 450,
        rtp: 0.5,
      },
      {
        gameId: 'ALL',
        currency: 'EUR',
        bets: 4,
        stakes: 1100,
        wins: 450,
        ggr: 650,
        bonusCost: 300,
        ngr: 350,
        rtp: 450 / 1100,
      },
    ]);
  });

  it('given a currency with only a conversion, then its ALL line has a negative NGR and no RTP', () => {
    const sut = ggrReport('t1', '2026-03-10', [], [{ currency: 'GBP', converted: 50 }]);

    expect(sut.lines).toEqual([
      {
        gameId: 'ALL',
        currency: 'GBP',
        bets: 0,
        stakes: 0,
        wins: 0,
        ggr: 0,
        bonusCost: 50,
        ngr: -50,
        rtp: null,
      },
    ]);
  });

  it('given no movements, then the report has no line', () => {
    expect(ggrReport('t1', '2026-03-10', [], []).lines).toEqual([]);
  });
});
