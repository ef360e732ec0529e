import { PitbossError } from '@pitboss/contracts';

import { type AuthorizationFacts } from './authorize-bet.decider';
import { type BetEvent, type BetTerms } from './bet-events';
import { type BetState, foldBet } from './bet-state';
import { type Money } from './money';
import { NO_RESTRICTIONS } from './player-restrictions';

export const NOW = new Date('2026-11-21T12:00:00Z');

export function eur(minorUnits: number): Money {
  return { minor_units: minorUnits, currency: 'EUR' };
}

export function aBet(overrides: Partial<BetTerms> = {}): BetTerms {
  return {
    bet_id: 'bet-1',
    round_id: 'round-1',
    session_id: 'session-1',
    player_id: 'player-1',
    game_id: 'starburst',
    game_type: 'slot',
    amount: eur(100),
    bonus_grant_id: null,
    ...overrides,
  };
}

export function openSessionFacts(overrides: Partial<AuthorizationFacts> = {}): AuthorizationFacts {
  return {
    session: {
      playerId: 'player-1',
      gameId: 'starburst',
      currency: 'EUR',
      expiresAt: new Date(NOW.getTime() + 60_000),
    },
    restrictions: NO_RESTRICTIONS,
    activeGrant: null,
    ...overrides,
  };
}

export function given(...events: BetEvent[]): BetState {
  return foldBet(events);
}

export const debitRequested = (terms = aBet()): BetEvent => ({ type: 'bet.debit_requested', data: terms });

export const authorized = (terms = aBet()): BetEvent => ({
  type: 'bet.authorized',
  data: {
    bet_id: terms.bet_id,
    game_id: terms.game_id,
    game_type: terms.game_type,
    amount: terms.amount,
    bonus_grant_id: terms.bonus_grant_id,
    wallet_transaction_id: 'tx-1',
    balance_after: eur(900),
    provider: terms.provider ?? null,
    funded_by: 'cash',
  },
});

/** What the settle and rollback requests of `aBet()` say of it once authorized (a cash debit). */
export const aBetsFacts = {
  stake: eur(100),
  game_id: 'starburst',
  game_type: 'slot',
  provider: null,
  bonus_grant_id: null,
  entitlement_id: null,
  funded_by: 'cash',
  math_version: null,
} as const;

export const settlementRequested = (win = eur(250)): BetEvent => ({
  type: 'settlement.requested',
  data: { bet_id: 'bet-1', win, ...aBetsFacts, win_credit: 'cash' },
});

/** The code of the PitbossError `act` throws; fails when it throws nothing or something else. */
export function codeOf(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    if (error instanceof PitbossError) return error.code;
    throw error;
  }
  throw new Error('expected a PitbossError');
}
