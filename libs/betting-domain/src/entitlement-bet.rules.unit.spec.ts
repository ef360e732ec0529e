import { authorizationOf, decideAuthorize } from './authorize-bet.decider';
import { aBet, codeOf, eur, given, NOW, openSessionFacts } from './bet.fixtures';
import { type BetEvent } from './bet-events';
import { evolveBet, initialBetState } from './bet-state';
import { type EntitlementFacts } from './entitlement-bet.rules';
import { decideRollback } from './rollback-bet.decider';
import { decideSettle } from './settle-bet.decider';

const anEntitlement = (overrides: Partial<EntitlementFacts> = {}): EntitlementFacts => ({
  entitlementId: 'ent-1',
  playerId: 'player-1',
  remaining: 3,
  betValue: eur(100),
  games: ['starburst'],
  expiresAt: new Date(NOW.getTime() + 60_000),
  winCredit: 'cash',
  ...overrides,
});
const entitlementBet = (overrides = {}) => aBet({ entitlement_id: 'ent-1', amount: eur(100), ...overrides });
const factsWith = (entitlement: EntitlementFacts | null) => openSessionFacts({ entitlement });
const consumed = (remaining = 2, win_credit = 'cash'): BetEvent => ({
  type: 'entitlement.consumed',
  data: {
    bet_id: 'bet-1',
    entitlement_id: 'ent-1',
    game_id: 'starburst',
    game_type: 'slot',
    bet_value: eur(100),
    remaining,
    win_credit,
    provider: null,
  },
});

describe('entitlement bets', () => {
  const sut = decideAuthorize;

  it('given a token left, when the bet names the entitlement, then intent and consumption in one append, no debit', () => {
    const events = sut({ terms: entitlementBet(), now: NOW }, given(), factsWith(anEntitlement()));
    expect(events).toEqual([{ type: 'bet.debit_requested', data: entitlementBet() }, consumed(2)]);
    const state = events.reduce(evolveBet, initialBetState());
    expect(state).toMatchObject({ status: 'authorized', balanceAfterDebit: null, fundedBy: 'entitlement' });
    expect(authorizationOf('bet-1', state)).toEqual({ balance: null });
  });

  it('given the bet authorized, when the same bet_id comes again, then nothing more is taken', () => {
    const state = given({ type: 'bet.debit_requested', data: entitlementBet() }, consumed());
    expect(sut({ terms: entitlementBet(), now: NOW }, state, factsWith(anEntitlement()))).toEqual([]);
  });

  it('given the bet authorized, when the same bet_id names another entitlement, then DUPLICATE_BET_ID', () => {
    const state = given({ type: 'bet.debit_requested', data: entitlementBet() }, consumed());
    const other = entitlementBet({ entitlement_id: 'ent-2' });
    expect(codeOf(() => sut({ terms: other, now: NOW }, state, factsWith(anEntitlement())))).toBe(
      'DUPLICATE_BET_ID',
    );
  });

  it.each([
    ['ENTITLEMENT_NOT_AVAILABLE', entitlementBet(), null],
    ['ENTITLEMENT_NOT_AVAILABLE', entitlementBet(), anEntitlement({ playerId: 'player-2' })],
    ['ENTITLEMENT_NOT_AVAILABLE', entitlementBet(), anEntitlement({ remaining: 0 })],
    ['ENTITLEMENT_EXPIRED', entitlementBet(), anEntitlement({ expiresAt: NOW })],
    ['GAME_NOT_ELIGIBLE', entitlementBet(), anEntitlement({ games: ['book-of-dead'] })],
    ['ENTITLEMENT_STAKE_MISMATCH', entitlementBet({ amount: eur(99) }), anEntitlement()],
    ['INVALID_REQUEST', entitlementBet({ bonus_grant_id: 'g-1' }), anEntitlement()],
  ])('given the facts, when the bet is refused, then %s and no event', (code, terms, entitlement) => {
    expect(codeOf(() => sut({ terms, now: NOW }, given(), factsWith(entitlement)))).toBe(code);
  });

  it('given an entitlement for any game, when bet on any game, then the token is taken', () => {
    const events = sut(
      { terms: entitlementBet(), now: NOW },
      given(),
      factsWith(anEntitlement({ games: [] })),
    );
    expect(events.map((event) => event.type)).toEqual(['bet.debit_requested', 'entitlement.consumed']);
  });

  it('given an authorized entitlement bet, when rolled back, then the token is restored and the bet ends at once', () => {
    const state = given({ type: 'bet.debit_requested', data: entitlementBet() }, consumed());
    const events = decideRollback({ bet_id: 'bet-1', reason: 'round cancelled' }, state, 3);
    expect(events).toEqual([
      {
        type: 'entitlement.restored',
        data: { bet_id: 'bet-1', entitlement_id: 'ent-1', remaining: 3, reason: 'round cancelled' },
      },
    ]);
    const after = events.reduce(evolveBet, state);
    expect(after.status).toBe('rolled_back');
    expect(decideRollback({ bet_id: 'bet-1', reason: 'again' }, after, 4)).toEqual([]);
  });

  it.each(['cash', 'bonus'])(
    'given an entitlement bet whose wins are credited as %s, when settled, then the request carries that win_credit',
    (winCredit) => {
      const state = given({ type: 'bet.debit_requested', data: entitlementBet() }, consumed(2, winCredit));
      const [requested] = decideSettle({ bet_id: 'bet-1', round_id: 'round-1', win: eur(500) }, state);
      expect(requested).toMatchObject({
        type: 'settlement.requested',
        data: { entitlement_id: 'ent-1', win: eur(500), win_credit: winCredit },
      });
    },
  );
});
