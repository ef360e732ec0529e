import { Injectable } from '@nestjs/common';

import { type EligibilityResult, evaluateEligibility } from '@pitboss/bonus-domain';
import { PitbossError } from '@pitboss/contracts';

import { PlayerFactsReader } from '../players/player-facts.reader';
import { OffersRepository } from './offers.repository';
import { PublishedOffers } from './published-offers';

export interface EligibilityDryRun extends EligibilityResult {
  readonly offer_id: string;
  /** The published version evaluated; null: the offer is not published yet and its draft was evaluated. */
  readonly offer_version: number | null;
  readonly player_id: string;
  readonly evaluated_at: string;
}

/**
 * `POST /v1/offers/{id}/eligibility`: would this player be eligible, and if not every reason, without granting
 * anything. It evaluates the offer's latest published version (the one a grant would use), or the draft of an
 * offer never published, against the player read model.
 */
@Injectable()
export class OfferEligibility {
  constructor(
    private readonly offers: OffersRepository,
    private readonly published: PublishedOffers,
    private readonly players: PlayerFactsReader,
  ) {}

  async dryRun(
    tenantId: string,
    offerId: string,
    playerId: string,
    context: { at?: string; channel?: string; deposit_id?: string },
  ): Promise<EligibilityDryRun> {
    const offer = await this.offers.get(tenantId, offerId);
    const version = await this.published.find(tenantId, offerId);
    const at = context.at === undefined ? new Date() : new Date(context.at);
    const player = await this.players.find(tenantId, playerId, at);
    if (player === null) {
      throw new PitbossError('PLAYER_PROFILE_NOT_FOUND', `no profile of player ${playerId} has arrived`, {
        player_id: playerId,
      });
    }
    const result = await evaluateEligibility(version ?? offer.draft, player, {
      at,
      ...(context.channel === undefined ? {} : { channel: context.channel }),
      ...(context.deposit_id === undefined ? {} : { deposit_id: context.deposit_id }),
    });
    return {
      offer_id: offerId,
      offer_version: version?.version ?? null,
      player_id: playerId,
      evaluated_at: at.toISOString(),
      ...result,
    };
  }
}
