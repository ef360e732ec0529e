import { feedingGrantOf, feedsGrant } from './bet-routing';
import { decideWagering } from './progress.decide';
import { type WageringEvent } from './progress.events';
import { progressOf } from './progress.state';
import { recompute } from './recompute';
import { aBet, aSchema, consider, eur, given, started, terms } from './wagering.fixtures';

const typesOf = (events: readonly WageringEvent[]) => events.map((event) => event.type);
const receiptOf = (events: readonly WageringEvent[]) => {
  const [first] = events;
  if (first?.type !== 'wagering.bet_considered') throw new Error('no receipt');
  return first.data;
};

describe(decideWagering.name, () => {
  const sut = decideWagering;

  describe('StartWagering', () => {
    it('starts a stream once', () => {
      expect(sut({ type: 'StartWagering', terms: terms() }, given())).toEqual([started()]);
      expect(sut({ type: 'StartWagering', terms: terms() }, given(started()))).toEqual([]);
    });
  });

  describe('ConsiderSettledBet', () => {
    it('adds floor(stake × pct / 10000) and publishes the progress with the rule and version', () => {
      const events = sut(consider({ stake: eur(99), gameType: 'table', provider: 'x' }), given(started()));

      expect(typesOf(events)).toEqual(['wagering.bet_considered', 'wagering.progressed']);
      expect(events[1]?.data).toEqual({
        grant_id: 'grant-1',
        bet_id: 'bet-1',
        stake: eur(99),
        contribution: eur(9),
        contributed: eur(9),
        required: eur(1_000),
        schema_id: 'standard',
        schema_version: 1,
        rule: 'game_type:table',
        pct_bp: 1_000,
      });
    });

    it('counts under the version the command gives (the grant pins it), not another', () => {
      const v2 = aSchema({
        version: 2,
        rules: [{ match: { kind: 'game_type', value: 'slot' }, pctBp: 5_000 }],
      });
      const receipt = receiptOf(sut(consider({}, { schema: v2 }), given(started())));
      expect(receipt).toMatchObject({ schema_version: 2, rule: 'game_type:slot', contribution: eur(50) });
    });

    it.each([
      ['OTHER_GRANT', {}, { feedsThisGrant: false }],
      ['OUTSIDE_WINDOW', { at: '2026-11-30T23:59:59.999Z' }, {}],
      ['OUTSIDE_WINDOW', { at: '2026-12-31T00:00:00.001Z' }, {}],
      ['ABOVE_MAX_BET', { stake: eur(501) }, {}],
      ['GAME_EXCLUDED', { gameId: 'blood-suckers' }, {}],
      ['GAME_EXCLUDED', { gameType: 'crash' }, {}],
      ['CURRENCY_MISMATCH', { stake: { minor_units: 100, currency: 'SEK' } }, {}],
    ] as const)('records a zero receipt with %s', (reason, bet, overrides) => {
      const events = sut(consider(bet, overrides), given(started()));
      expect(typesOf(events)).toEqual(['wagering.bet_considered']);
      expect(receiptOf(events)).toMatchObject({ reason, contribution: eur(0) });
    });

    it("counts a bet at the grant's maximum bet", () => {
      expect(receiptOf(sut(consider({ stake: eur(500) }), given(started())))).toMatchObject({
        reason: null,
        contribution: eur(500),
      });
    });

    it('refuses a game the grant excludes whatever the schema says', () => {
      const events = sut(consider(), given(started({ excludedGames: ['starburst'] })));
      expect(receiptOf(events)).toMatchObject({ reason: 'GAME_EXCLUDED', rule: 'excluded:starburst' });
    });

    it('given a bonus-based grant, counts bonus and mixed stakes and not cash ones', () => {
      const state = given(started({ base: 'bonus' }));
      expect(receiptOf(sut(consider({ fundedBy: 'cash' }), state)).reason).toBe('FUNDED_BY_CASH');
      expect(receiptOf(sut(consider({ fundedBy: null }), state)).reason).toBe('FUNDED_BY_CASH');
      expect(receiptOf(sut(consider({ fundedBy: 'mixed' }), state)).reason).toBeNull();
    });

    it('given a deposit-plus-bonus grant, counts cash stakes too', () => {
      expect(receiptOf(sut(consider({ fundedBy: 'cash' }), given(started()))).reason).toBeNull();
    });

    it('caps progress at the requirement and completes once', () => {
      const history = [started()];
      const first = sut(consider({ betId: 'a', stake: eur(500) }), given(...history));
      history.push(...first);
      const second = sut(consider({ betId: 'b', stake: eur(500) }), given(...history));
      history.push(...second);
      const third = sut(consider({ betId: 'c', stake: eur(400) }), given(...history));
      history.push(...third);
      const after = sut(consider({ betId: 'd', stake: eur(400) }), given(...history));

      expect(typesOf(second)).toEqual([
        'wagering.bet_considered',
        'wagering.progressed',
        'wagering.completed',
      ]);
      expect(second[2]?.data).toEqual({
        grant_id: 'grant-1',
        contributed: eur(1_000),
        required: eur(1_000),
        completing_bet_id: 'b',
      });
      expect(third).toEqual([]);
      expect(after).toEqual([]);
      expect(progressOf(given(...history))).toEqual({
        requiredMinor: 1_000,
        contributedMinor: 1_000,
        remainingMinor: 0,
        pctBp: 10_000,
      });
    });

    it('caps the last contribution at what was still required', () => {
      const history = [started(), ...sut(consider({ betId: 'a', stake: eur(450) }), given(started()))];
      history.push(...sut(consider({ betId: 'b', stake: eur(500) }), given(...history)));
      const last = sut(consider({ betId: 'c', stake: eur(100) }), given(...history));

      expect(receiptOf(last).contribution).toEqual(eur(50));
      expect(last[1]?.data).toMatchObject({ contribution: eur(50), contributed: eur(1_000) });
      expect(typesOf(last).at(-1)).toBe('wagering.completed');
    });

    it('considers a redelivered bet once', () => {
      const history = [started(), ...sut(consider(), given(started()))];
      expect(sut(consider(), given(...history))).toEqual([]);
    });

    it('counts nothing once the grant ended', () => {
      const ended: WageringEvent = { type: 'wagering.ended', data: { reason: 'bonus.revoked' } };
      expect(sut(consider(), given(started(), ended))).toEqual([]);
    });

    it('counts every stake in full for a grant that pins no schema', () => {
      const state = given(started({ schemaId: null, schemaVersion: null }));
      expect(receiptOf(sut(consider({ gameType: 'crash' }, { schema: null }), state))).toMatchObject({
        rule: 'none',
        pct_bp: 10_000,
        contribution: eur(100),
      });
    });
  });

  describe('ReverseRolledBackBet', () => {
    it('takes a contributed bet off the progress once', () => {
      const history = [started(), ...sut(consider({ stake: eur(300) }), given(started()))];
      const events = sut({ type: 'ReverseRolledBackBet', betId: 'bet-1' }, given(...history));

      expect(events).toEqual([
        { type: 'wagering.bet_rolled_back', data: { bet_id: 'bet-1' } },
        {
          type: 'wagering.reversed',
          data: { grant_id: 'grant-1', bet_id: 'bet-1', contribution: eur(300), contributed: eur(0) },
        },
      ]);
      const after = given(...history, ...events);
      expect(progressOf(after).contributedMinor).toBe(0);
      expect(sut({ type: 'ReverseRolledBackBet', betId: 'bet-1' }, after)).toEqual([]);
    });

    it('marks a bet that added nothing as rolled back without a reversal', () => {
      const history = [started(), ...sut(consider({ gameType: 'crash' }), given(started()))];
      expect(typesOf(sut({ type: 'ReverseRolledBackBet', betId: 'bet-1' }, given(...history)))).toEqual([
        'wagering.bet_rolled_back',
      ]);
    });

    it('ignores a bet the grant never considered', () => {
      expect(sut({ type: 'ReverseRolledBackBet', betId: 'other' }, given(started()))).toEqual([]);
    });
  });

  describe('EndWagering', () => {
    it('ends an active or completed grant once', () => {
      const ended = sut({ type: 'EndWagering', reason: 'bonus.converted' }, given(started()));
      expect(ended).toEqual([{ type: 'wagering.ended', data: { reason: 'bonus.converted' } }]);
      expect(sut({ type: 'EndWagering', reason: 'bonus.expired' }, given(started(), ...ended))).toEqual([]);
    });
  });
});

describe(feedingGrantOf.name, () => {
  const grants = [
    { grantId: 'g-bonus', base: 'bonus', activeFrom: '2026-12-01T00:00:00.000Z' },
    { grantId: 'g-new', base: 'deposit_plus_bonus', activeFrom: '2026-12-02T00:00:00.000Z' },
    { grantId: 'g-old', base: 'deposit_plus_bonus', activeFrom: '2026-12-01T10:00:00.000Z' },
  ] as const;

  it('feeds the grant the bet was placed against', () => {
    expect(feedingGrantOf(aBet({ bonusGrantId: 'g-new' }), grants)).toBe('g-new');
  });

  it('feeds a cash bet to the oldest grant that counts every bet', () => {
    expect(feedingGrantOf(aBet({ bonusGrantId: null, fundedBy: 'cash' }), grants)).toBe('g-old');
  });

  it('feeds a bonus-funded bet to a bonus-based grant when no grant counts every bet', () => {
    const bonusOnly = [grants[0]];
    expect(feedingGrantOf(aBet({ bonusGrantId: null, fundedBy: 'bonus' }), bonusOnly)).toBe('g-bonus');
    expect(feedingGrantOf(aBet({ bonusGrantId: null, fundedBy: 'cash' }), bonusOnly)).toBeNull();
    expect(feedsGrant(null, 'g-bonus')).toBe(true);
  });
});

describe(recompute.name, () => {
  it('replays the considered bets under another version and shows the difference', () => {
    const history: WageringEvent[] = [started()];
    for (const [betId, gameType] of [
      ['a', 'slot'],
      ['b', 'table'],
    ] as const)
      history.push(...decideWagering(consider({ betId, gameType, provider: 'x' }), given(...history)));
    const v2 = aSchema({
      version: 2,
      rules: [{ match: { kind: 'game_type', value: 'table' }, pctBp: 10_000 }],
    });

    const result = recompute(terms(), history, v2);

    expect(result).toMatchObject({
      actualContributedMinor: 110,
      recomputedContributedMinor: 100,
      differenceMinor: -10,
    });
    expect(result.bets).toEqual([
      {
        betId: 'a',
        actual: { rule: 'game_type:slot', schemaVersion: 1, contributionMinor: 100, reason: null },
        recomputed: { rule: 'default', schemaVersion: 2, contributionMinor: 0, reason: 'GAME_EXCLUDED' },
        differenceMinor: -100,
      },
      {
        betId: 'b',
        actual: { rule: 'game_type:table', schemaVersion: 1, contributionMinor: 10, reason: null },
        recomputed: { rule: 'game_type:table', schemaVersion: 2, contributionMinor: 100, reason: null },
        differenceMinor: 90,
      },
    ]);
  });
});
