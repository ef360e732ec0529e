import { decideAuthorize } from './authorize-bet.decider';
import { aBet, authorized, debitRequested, eur, given, NOW, openSessionFacts, codeOf } from './bet.fixtures';
import { decideDebitOutcome } from './debit-outcome.decider';
import { decideRollback } from './rollback-bet.decider';

describe(decideAuthorize.name, () => {
  const sut = decideAuthorize;

  it('records the intent to debit before any wallet call', () => {
    expect(sut({ terms: aBet(), now: NOW }, given(), openSessionFacts())).toEqual([debitRequested()]);
  });

  it("carries the session's country from the intent into bet.authorized", () => {
    const open = openSessionFacts();
    const facts = openSessionFacts({ session: { ...open.session!, country: 'DE' } });
    const intent = sut({ terms: aBet(), now: NOW }, given(), facts);
    expect(intent).toEqual([{ type: 'bet.debit_requested', data: { ...aBet(), country: 'DE' } }]);
    const debited = { kind: 'debited', transactionId: 'tx-1', balance: eur(900) } as const;
    expect(decideDebitOutcome(debited, given(...intent))).toEqual([
      { ...authorized(), data: { ...authorized().data, country: 'DE' } },
    ]);
  });

  it('publishes no country for a session opened without one', () => {
    const debited = { kind: 'debited', transactionId: 'tx-1', balance: eur(900) } as const;
    expect(decideDebitOutcome(debited, given(debitRequested()))).toEqual([authorized()]);
  });

  it('answers a repeated bet from its state without a second intent', () => {
    expect(
      sut({ terms: aBet(), now: NOW }, given(debitRequested(), authorized()), openSessionFacts()),
    ).toEqual([]);
    expect(sut({ terms: aBet(), now: NOW }, given(debitRequested()), openSessionFacts())).toEqual([]);
  });

  it.each([
    ['amount', { amount: eur(101) }],
    ['player', { player_id: 'player-2' }],
    ['round', { round_id: 'round-2' }],
    ['game', { game_id: 'other' }],
  ])('refuses the same bet_id with another %s as DUPLICATE_BET_ID', (_field, change) => {
    const state = given(debitRequested(), authorized());
    expect(codeOf(() => sut({ terms: aBet(change), now: NOW }, state, openSessionFacts()))).toBe(
      'DUPLICATE_BET_ID',
    );
  });

  it('does not re-check an expired session for a bet it already knows', () => {
    const expired = openSessionFacts({
      session: { playerId: 'player-1', gameId: 'starburst', currency: 'EUR', expiresAt: NOW },
    });
    expect(sut({ terms: aBet(), now: NOW }, given(debitRequested(), authorized()), expired)).toEqual([]);
  });

  it.each([
    ['SESSION_NOT_FOUND', openSessionFacts({ session: null })],
    [
      'SESSION_NOT_FOUND',
      openSessionFacts({
        session: { playerId: 'other', gameId: 'starburst', currency: 'EUR', expiresAt: NOW },
      }),
    ],
    [
      'SESSION_EXPIRED',
      openSessionFacts({
        session: { playerId: 'player-1', gameId: 'starburst', currency: 'EUR', expiresAt: NOW },
      }),
    ],
    [
      'GAME_MISMATCH',
      openSessionFacts({
        session: {
          playerId: 'player-1',
          gameId: 'book-of-ra',
          currency: 'EUR',
          expiresAt: new Date(NOW.getTime() + 1),
        },
      }),
    ],
    [
      'CURRENCY_MISMATCH',
      openSessionFacts({
        session: {
          playerId: 'player-1',
          gameId: 'starburst',
          currency: 'USD',
          expiresAt: new Date(NOW.getTime() + 1),
        },
      }),
    ],
    ['PLAYER_BLOCKED', openSessionFacts({ restrictions: { blocked: true, selfExcludedUntil: null } })],
    [
      'SELF_EXCLUDED',
      openSessionFacts({ restrictions: { blocked: false, selfExcludedUntil: 'indefinite' } }),
    ],
    [
      'SELF_EXCLUDED',
      openSessionFacts({ restrictions: { blocked: false, selfExcludedUntil: new Date(NOW.getTime() + 1) } }),
    ],
  ])('refuses a new bet with %s', (code, facts) => {
    expect(codeOf(() => sut({ terms: aBet(), now: NOW }, given(), facts))).toBe(code);
  });

  it('lets a player bet once a dated self-exclusion has passed', () => {
    const facts = openSessionFacts({ restrictions: { blocked: false, selfExcludedUntil: NOW } });
    expect(sut({ terms: aBet(), now: NOW }, given(), facts)).toHaveLength(1);
  });

  it("holds bonus bets to the grant's maximum bet", () => {
    const bonusBet = (stake: number) => ({
      terms: aBet({ bonus_grant_id: 'g-1', amount: eur(stake) }),
      now: NOW,
    });
    const grant = openSessionFacts({ activeGrant: { maxBet: eur(500) } });
    expect(sut(bonusBet(500), given(), grant)).toHaveLength(1);
    expect(codeOf(() => sut(bonusBet(501), given(), grant))).toBe('BONUS_MAX_BET_EXCEEDED');
    expect(codeOf(() => sut(bonusBet(10), given(), openSessionFacts()))).toBe('BONUS_NOT_ACTIVE');
  });

  it('refuses a bonus bet on a game the grant excludes, and lets a cash bet on it through', () => {
    const grant = openSessionFacts({ activeGrant: { maxBet: null, excludedGames: ['starburst'] } });
    const bonusBet = { terms: aBet({ bonus_grant_id: 'g-1' }), now: NOW };

    expect(codeOf(() => sut(bonusBet, given(), grant))).toBe('BONUS_RULE_VIOLATION');
    expect(sut({ terms: aBet(), now: NOW }, given(), grant)).toHaveLength(1);
    const other = openSessionFacts({ activeGrant: { maxBet: null, excludedGames: ['book-of-dead'] } });
    expect(sut(bonusBet, given(), other)).toHaveLength(1);
  });

  it('refuses a bet whose rollback arrived first', () => {
    const tombstone = given(...decideRollback({ bet_id: 'bet-1', reason: 'timeout' }, given()));
    expect(codeOf(() => sut({ terms: aBet(), now: NOW }, tombstone, openSessionFacts()))).toBe(
      'BET_ALREADY_ROLLED_BACK',
    );
  });

  it('answers WALLET_UNAVAILABLE again for a bet whose debit was uncertain', () => {
    const uncertain = decideDebitOutcome({ kind: 'uncertain', cause: 'timeout' }, given(debitRequested()));
    const state = given(debitRequested(), ...uncertain);
    expect(codeOf(() => sut({ terms: aBet(), now: NOW }, state, openSessionFacts()))).toBe(
      'WALLET_UNAVAILABLE',
    );
  });

  it('answers a refused bet with its refusal again', () => {
    const refused = decideDebitOutcome(
      { kind: 'refused', code: 'INSUFFICIENT_FUNDS', balance: eur(5) },
      given(debitRequested()),
    );
    const state = given(debitRequested(), ...refused);
    expect(codeOf(() => sut({ terms: aBet(), now: NOW }, state, openSessionFacts()))).toBe(
      'INSUFFICIENT_FUNDS',
    );
  });
});

describe(decideDebitOutcome.name, () => {
  const sut = decideDebitOutcome;

  it('authorizes a debited bet with the balance after', () => {
    const [event] = sut(
      { kind: 'debited', transactionId: 'tx-9', balance: eur(900) },
      given(debitRequested()),
    );
    expect(event).toMatchObject({ type: 'bet.authorized', data: { balance_after: eur(900) } });
  });

  it('requests the rollback of an uncertain debit in the same decision', () => {
    const events = sut({ kind: 'uncertain', cause: 'timeout' }, given(debitRequested()));
    expect(events.map((event) => event.type)).toEqual(['debit.uncertain', 'rollback.requested']);
    expect(events[1]).toMatchObject({ data: { requested_by: 'SYSTEM', amount: eur(100) } });
  });

  it('ignores an outcome once the bet moved on', () => {
    const rolledBack = given(
      debitRequested(),
      ...decideRollback({ bet_id: 'bet-1', reason: 'x' }, given(debitRequested())),
    );
    expect(sut({ kind: 'debited', transactionId: 'tx', balance: eur(1) }, rolledBack)).toEqual([]);
  });
});
