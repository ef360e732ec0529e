import { Injectable } from '@nestjs/common';

import { type EventEnvelope, type PromoGrantsPayloads, type RgPayloads } from '@pitboss/contracts';
import { type Transaction } from '@pitboss/event-store';

import { BonusGrantsRepository } from './bonus-grants.repository';
import { EntitlementsRepository } from './entitlements.repository';
import { PlayerRestrictionsRepository } from './player-restrictions.repository';

type Payloads = PromoGrantsPayloads & RgPayloads;

/**
 * Keeps the gateway's own copy of bonus rules, entitlements and responsible-gaming state, so authorize decides
 * BONUS_MAX_BET_EXCEEDED, ENTITLEMENT_NOT_AVAILABLE and SELF_EXCLUDED without calling another service.
 */
@Injectable()
export class ReadModelProjector {
  constructor(
    private readonly grants: BonusGrantsRepository,
    private readonly restrictions: PlayerRestrictionsRepository,
    private readonly entitlements: EntitlementsRepository,
  ) {}

  async apply(tx: Transaction, envelope: EventEnvelope): Promise<void> {
    const { tenant_id: tenantId, player_id: playerId } = envelope;
    if (playerId === null) return;
    const type = envelope.event_type as keyof Payloads;
    switch (type) {
      case 'bonus.issued': {
        const issued = envelope.payload as unknown as Payloads['bonus.issued'];
        const expiresAt = issued.expires_at === null ? null : new Date(issued.expires_at);
        await this.grants.issue(tx, tenantId, {
          grantId: issued.grant_id,
          playerId,
          maxBet: issued.max_bet,
          expiresAt,
          // Absent on bonus.issued events stored before the field existed (decoded ones get the default []).
          excludedGames: issued.excluded_games ?? [],
        });
        return;
      }
      case 'bonus.aborted':
      case 'bonus.revoked':
      case 'bonus.expired': {
        const ended = envelope.payload as unknown as Payloads['bonus.aborted'];
        await this.grants.end(tx, tenantId, ended.grant_id, `${type}: ${ended.reason}`);
        return;
      }
      case 'entitlement.granted': {
        const granted = envelope.payload as unknown as Payloads['entitlement.granted'];
        await this.entitlements.grant(tx, tenantId, {
          entitlementId: granted.entitlement_id,
          playerId,
          offerId: granted.offer_id,
          kind: granted.kind,
          count: granted.count,
          betValue: granted.bet_value,
          games: granted.games,
          winCredit: granted.win_credit,
          expiresAt: granted.expires_at === null ? null : new Date(granted.expires_at),
        });
        return;
      }
      case 'player.self_excluded': {
        const { excluded_until } = envelope.payload as unknown as Payloads['player.self_excluded'];
        const until = excluded_until === null ? 'indefinite' : new Date(excluded_until);
        await this.restrictions.apply(tx, tenantId, playerId, { selfExcludedUntil: until });
        return;
      }
      case 'player.self_exclusion_ended':
        await this.restrictions.apply(tx, tenantId, playerId, { selfExcludedUntil: null });
        return;
      case 'player.blocked':
      case 'player.unblocked':
        await this.restrictions.apply(tx, tenantId, playerId, { blocked: type === 'player.blocked' });
        return;
    }
  }
}
