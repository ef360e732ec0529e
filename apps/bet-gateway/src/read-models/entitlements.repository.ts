import { Injectable } from '@nestjs/common';

import { type EntitlementFacts, type Money } from '@pitboss/betting-domain';
import { type Transaction } from '@pitboss/event-store';

export interface GrantedEntitlement {
  readonly entitlementId: string;
  readonly playerId: string;
  readonly offerId: string;
  readonly kind: string;
  readonly count: number;
  readonly betValue: Money;
  readonly games: readonly string[];
  readonly winCredit: string;
  readonly expiresAt: Date | null;
}

/**
 * The read model of entitlements from promo.grants.v1: the tokens a bet naming one may spend. Taken and given
 * back only inside the bet's own transaction, with the row locked, so a token is spent once per bet.
 */
@Injectable()
export class EntitlementsRepository {
  /** Learned once: a redelivered entitlement.granted changes nothing (the tokens already spent stay spent). */
  async grant(tx: Transaction, tenantId: string, entitlement: GrantedEntitlement): Promise<void> {
    await tx.query(
      `INSERT INTO bet_entitlements (tenant_id, entitlement_id, player_id, offer_id, kind, count, remaining,
         bet_value_minor_units, currency, games, win_credit, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10, $11) ON CONFLICT (tenant_id, entitlement_id) DO NOTHING`,
      [
        tenantId,
        entitlement.entitlementId,
        entitlement.playerId,
        entitlement.offerId,
        entitlement.kind,
        entitlement.count,
        entitlement.betValue.minor_units,
        entitlement.betValue.currency,
        entitlement.games,
        entitlement.winCredit,
        entitlement.expiresAt,
      ],
    );
  }

  /** The entitlement, its row locked until the bet's transaction ends; null when unknown. */
  async lockForBet(
    tx: Transaction,
    tenantId: string,
    entitlementId: string,
  ): Promise<EntitlementFacts | null> {
    const { rows } = await tx.query<{
      player_id: string;
      remaining: number;
      bet_value_minor_units: string;
      currency: string;
      games: string[];
      expires_at: Date | null;
      win_credit: string;
    }>(
      `SELECT player_id, remaining, bet_value_minor_units, currency, games, expires_at, win_credit
         FROM bet_entitlements WHERE tenant_id = $1 AND entitlement_id = $2 FOR UPDATE`,
      [tenantId, entitlementId],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      entitlementId,
      playerId: row.player_id,
      remaining: row.remaining,
      betValue: { minor_units: Number(row.bet_value_minor_units), currency: row.currency.trim() },
      games: row.games,
      expiresAt: row.expires_at,
      winCredit: row.win_credit,
    };
  }

  /** Takes one token (the row is locked by lockForBet); refuses to go below zero. */
  async take(tx: Transaction, tenantId: string, entitlementId: string): Promise<void> {
    const taken = await tx.query(
      `UPDATE bet_entitlements SET remaining = remaining - 1, updated_at = now()
        WHERE tenant_id = $1 AND entitlement_id = $2 AND remaining > 0`,
      [tenantId, entitlementId],
    );
    if (taken.rowCount !== 1) throw new Error(`entitlement ${entitlementId} had no token to take`);
  }

  /** Gives one token back (an entitlement bet rolled back); the tokens left after it. */
  async giveBack(tx: Transaction, tenantId: string, entitlementId: string): Promise<number> {
    const { rows } = await tx.query<{ remaining: number }>(
      `UPDATE bet_entitlements SET remaining = LEAST(remaining + 1, count), updated_at = now()
        WHERE tenant_id = $1 AND entitlement_id = $2 RETURNING remaining`,
      [tenantId, entitlementId],
    );
    const row = rows[0];
    if (row === undefined) throw new Error(`entitlement ${entitlementId} is not in the read model`);
    return row.remaining;
  }
}
