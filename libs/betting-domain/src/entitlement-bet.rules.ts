import { PitbossError } from '@pitboss/contracts';

import { type BetEvent, type BetTerms } from './bet-events';
import { type Money, sameMoney } from './money';

/** The bet's entitlement as the gateway's read model of promo.grants.v1 holds it (locked for the bet). */
export interface EntitlementFacts {
  readonly entitlementId: string;
  readonly playerId: string;
  readonly remaining: number;
  readonly betValue: Money;
  /** Game ids the tokens may be played on; empty: any game. */
  readonly games: readonly string[];
  readonly expiresAt: Date | null;
  readonly winCredit: string;
}

/**
 * A bet naming an entitlement is authorized by taking one token, never by a debit. Refused, changing nothing:
 * unknown, another player's or used up (ENTITLEMENT_NOT_AVAILABLE), past its expiry (ENTITLEMENT_EXPIRED), a game it
 * does not name (GAME_NOT_ELIGIBLE), a stake other than its bet value (ENTITLEMENT_STAKE_MISMATCH), or together
 * with a bonus grant (INVALID_REQUEST: a bet is paid by one of them).
 */
export function decideEntitlementBet(
  terms: BetTerms,
  entitlement: EntitlementFacts | null,
  now: Date,
): BetEvent[] {
  const entitlementId = terms.entitlement_id ?? '';
  if (terms.bonus_grant_id !== null)
    throw new PitbossError('INVALID_REQUEST', 'a bet names an entitlement or a bonus grant, not both', {
      fields: [{ path: 'entitlement_id', problem: 'not with bonus_grant_id' }],
    });
  if (entitlement === null || entitlement.playerId !== terms.player_id)
    throw new PitbossError(
      'ENTITLEMENT_NOT_AVAILABLE',
      `entitlement ${entitlementId} is not one of player ${terms.player_id}`,
    );
  if (entitlement.expiresAt !== null && now.getTime() >= entitlement.expiresAt.getTime())
    throw new PitbossError('ENTITLEMENT_EXPIRED', `entitlement ${entitlementId} expired`, {
      expires_at: entitlement.expiresAt.toISOString(),
    });
  if (entitlement.remaining <= 0)
    throw new PitbossError('ENTITLEMENT_NOT_AVAILABLE', `entitlement ${entitlementId} has no token left`);
  if (entitlement.games.length > 0 && !entitlement.games.includes(terms.game_id))
    throw new PitbossError(
      'GAME_NOT_ELIGIBLE',
      `entitlement ${entitlementId} may not be used on game ${terms.game_id}`,
      { game_id: terms.game_id, games: [...entitlement.games] },
    );
  if (!sameMoney(terms.amount, entitlement.betValue))
    throw new PitbossError(
      'ENTITLEMENT_STAKE_MISMATCH',
      `the stake of an entitlement bet is its bet value ${entitlement.betValue.minor_units} ${entitlement.betValue.currency}`,
      { bet_value: entitlement.betValue },
    );
  return [
    {
      type: 'entitlement.consumed',
      data: {
        bet_id: terms.bet_id,
        entitlement_id: entitlementId,
        game_id: terms.game_id,
        game_type: terms.game_type,
        bet_value: entitlement.betValue,
        remaining: entitlement.remaining - 1,
        win_credit: entitlement.winCredit,
        provider: terms.provider ?? null,
      },
    },
  ];
}
