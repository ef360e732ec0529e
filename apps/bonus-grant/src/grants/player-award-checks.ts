import { checkJurisdiction, evaluateEligibility, type PublishedOffer } from '@pitboss/bonus-domain';
import { PitbossError } from '@pitboss/contracts';
import { type Transaction } from '@pitboss/event-store';

import { type PlayerFactsReader } from '../players/player-facts.reader';
import { lockGrantPlayer, playerIsExcluded } from './grant-players';

export interface PlayerAward {
  readonly tenantId: string;
  readonly playerId: string;
  readonly offer: PublishedOffer;
  readonly now: Date;
  /** The deposit that triggers the award, for a first-deposit-only offer. */
  readonly depositId?: string;
  /** `grant` or `entitlement`: how the refusals name what is not given. */
  readonly noun: string;
  /** The player's earlier awards, as the licence policies count them (a first-opportunity rule). */
  readonly priorAwards: (tx: Transaction) => Promise<number>;
}

/**
 * What a player must pass before a grant or an entitlement is given, each refusing with its code and changing
 * nothing: not self-excluded, a profile, eligible for the offer, within the licence's policy. Locks the player's
 * `grant_players` row first, so the award is serialised with a self-exclusion and with the player's other awards.
 */
export async function assertPlayerMayReceive(
  tx: Transaction,
  players: PlayerFactsReader,
  award: PlayerAward,
): Promise<void> {
  const { tenantId, playerId, offer, now, noun } = award;
  await lockGrantPlayer(tx, tenantId, playerId);
  const excluded = () =>
    new PitbossError('SELF_EXCLUDED', `the player is self-excluded: no ${noun} is given`);
  if (await playerIsExcluded(tx, tenantId, playerId, now)) throw excluded();
  const facts = await players.find(tenantId, playerId, now, tx);
  if (facts === null)
    throw new PitbossError('PLAYER_PROFILE_NOT_FOUND', `no profile of player ${playerId} yet`);
  if (facts.self_excluded) throw excluded();
  const eligibility = await evaluateEligibility(offer, facts, {
    at: now,
    ...(award.depositId === undefined ? {} : { deposit_id: award.depositId }),
  });
  if (!eligibility.eligible)
    throw new PitbossError('PLAYER_NOT_ELIGIBLE', 'the player is not eligible for the offer', {
      failures: eligibility.failures,
    });
  const jurisdiction = checkJurisdiction({
    offer,
    at: now,
    player: { facts, history: { prior_grants: await award.priorAwards(tx) } },
  });
  if (!jurisdiction.compliant)
    throw new PitbossError('OFFER_VIOLATES_REGULATION', `the ${noun} breaks the player’s licence policy`, {
      violations: jurisdiction.violations,
    });
}
