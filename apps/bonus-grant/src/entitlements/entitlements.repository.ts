import { type Pool } from 'pg';

import { type EntitlementKind, type EntitlementTerms, type WinCredit } from '@pitboss/bonus-domain';
import { type Transaction } from '@pitboss/event-store';

type Queryable = Pool | Transaction;

interface EntitlementRow {
  entitlement_id: string;
  player_id: string;
  offer_id: string;
  offer_version: number;
  kind: EntitlementKind;
  count: number;
  remaining: number;
  bet_value_minor_units: string;
  currency: string;
  games: string[];
  win_credit: WinCredit;
  expires_at: Date;
  trigger_ref: string;
  created_at: Date;
}

const COLUMNS = `entitlement_id, player_id, offer_id, offer_version, kind, count, remaining, bet_value_minor_units,
  currency, games, win_credit, expires_at, trigger_ref, created_at`;

/** The index row, in the transaction of the entitlement's stream append. */
export async function insertEntitlement(
  tx: Transaction,
  tenantId: string,
  entitlement: EntitlementTerms,
): Promise<void> {
  await tx.query(
    `INSERT INTO entitlements (tenant_id, entitlement_id, player_id, offer_id, offer_version, kind, count,
       remaining, bet_value_minor_units, currency, games, win_credit, expires_at, trigger_ref)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11, $12, $13)`,
    [
      tenantId,
      entitlement.entitlement_id,
      entitlement.player_id,
      entitlement.offer_id,
      entitlement.offer_version,
      entitlement.kind,
      entitlement.count,
      entitlement.bet_value.minor_units,
      entitlement.bet_value.currency,
      entitlement.games,
      entitlement.win_credit,
      entitlement.expires_at,
      entitlement.trigger_ref,
    ],
  );
}

/** The entitlement a trigger already produced for this offer; null without a trigger ref. */
export async function byTriggerRef(
  db: Queryable,
  tenantId: string,
  offerId: string,
  triggerRef: string,
): Promise<EntitlementTerms | null> {
  if (triggerRef === '') return null;
  const { rows } = await db.query<EntitlementRow>(
    `SELECT ${COLUMNS} FROM entitlements WHERE tenant_id = $1 AND offer_id = $2 AND trigger_ref = $3`,
    [tenantId, offerId, triggerRef],
  );
  return rows[0] ? termsOf(rows[0]) : null;
}

/** Grants and entitlements the player has had (the jurisdiction check's "first opportunity" history). */
export async function priorAwards(tx: Transaction, tenantId: string, playerId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM grants WHERE tenant_id = $1 AND player_id = $2 AND status <> 'aborted')::int
          + (SELECT count(*) FROM entitlements WHERE tenant_id = $1 AND player_id = $2)::int AS n`,
    [tenantId, playerId],
  );
  return rows[0]?.n ?? 0;
}

/** What the grant of an entitlement's win needs of it: null unless the entitlement credits its wins as bonus. */
export interface BonusCreditedEntitlement {
  readonly playerId: string;
  readonly offerId: string;
  readonly offerVersion: number;
}

export async function bonusCreditedEntitlement(
  db: Queryable,
  tenantId: string,
  entitlementId: string,
): Promise<BonusCreditedEntitlement | null> {
  const { rows } = await db.query<{ player_id: string; offer_id: string; offer_version: number }>(
    `SELECT player_id, offer_id, offer_version FROM entitlements
      WHERE tenant_id = $1 AND entitlement_id = $2 AND win_credit = 'bonus'`,
    [tenantId, entitlementId],
  );
  const row = rows[0];
  return row ? { playerId: row.player_id, offerId: row.offer_id, offerVersion: row.offer_version } : null;
}

/**
 * The player's history as the licence policy judges an entitlement's win: the awards before the entitlement
 * itself (its wins are part of it, not awards of their own), as it was judged when it was given.
 */
export async function priorAwardsBefore(
  tx: Transaction,
  tenantId: string,
  entitlementId: string,
): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `WITH e AS (SELECT player_id, created_at FROM entitlements WHERE tenant_id = $1 AND entitlement_id = $2)
     SELECT (SELECT count(*) FROM grants g, e WHERE g.tenant_id = $1 AND g.player_id = e.player_id
               AND g.status <> 'aborted' AND g.trigger <> 'entitlement_win' AND g.created_at < e.created_at)::int
          + (SELECT count(*) FROM entitlements x, e WHERE x.tenant_id = $1 AND x.player_id = e.player_id
               AND x.created_at < e.created_at)::int AS n`,
    [tenantId, entitlementId],
  );
  return rows[0]?.n ?? 0;
}

/** The player's entitlements, newest first (at most 500), with their status at `now`. */
export async function playerEntitlements(pool: Pool, tenantId: string, playerId: string, now: Date) {
  const { rows } = await pool.query<EntitlementRow>(
    `SELECT ${COLUMNS} FROM entitlements WHERE tenant_id = $1 AND player_id = $2
      ORDER BY created_at DESC LIMIT 500`,
    [tenantId, playerId],
  );
  return rows.map((row) => ({
    ...entitlementView(termsOf(row)),
    remaining: row.remaining,
    status: statusOf(row, now),
    created_at: row.created_at.toISOString(),
  }));
}

/** An entitlement as the API answers it. */
export function entitlementView(entitlement: EntitlementTerms) {
  return {
    entitlement_id: entitlement.entitlement_id,
    player_id: entitlement.player_id,
    offer_id: entitlement.offer_id,
    offer_version: entitlement.offer_version,
    kind: entitlement.kind,
    count: entitlement.count,
    bet_value: entitlement.bet_value,
    games: entitlement.games,
    win_credit: entitlement.win_credit,
    expires_at: entitlement.expires_at,
    trigger_ref: entitlement.trigger_ref,
  };
}

function statusOf(row: EntitlementRow, now: Date): 'active' | 'used_up' | 'expired' {
  if (row.expires_at.getTime() <= now.getTime()) return 'expired';
  return row.remaining === 0 ? 'used_up' : 'active';
}

function termsOf(row: EntitlementRow): EntitlementTerms {
  return {
    entitlement_id: row.entitlement_id,
    player_id: row.player_id,
    offer_id: row.offer_id,
    offer_version: row.offer_version,
    kind: row.kind,
    count: row.count,
    bet_value: { minor_units: Number(row.bet_value_minor_units), currency: row.currency.trim() },
    games: row.games,
    win_credit: row.win_credit,
    expires_at: row.expires_at.toISOString(),
    trigger_ref: row.trigger_ref,
  };
}
