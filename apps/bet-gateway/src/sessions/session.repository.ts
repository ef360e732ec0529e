import { Inject, Injectable } from '@nestjs/common';
import { type Pool, type QueryResultRow } from 'pg';

import { type PlayerRestrictions } from '@pitboss/betting-domain';
import {
  DATABASE_POOL,
  type Transaction,
  type WriteInRead,
  WRITTEN_COLUMN,
  writtenBy,
  writtenWith,
} from '@pitboss/event-store';

import {
  RESTRICTION_COLUMNS,
  type RestrictionColumns,
  restrictionsOf,
} from '../read-models/player-restrictions.repository';

export interface Session {
  readonly sessionId: string;
  readonly playerId: string;
  readonly gameId: string;
  readonly currency: string;
  readonly expiresAt: Date;
  /** ISO 3166-1 alpha-2, when given at open (checked against the game's geo-bans). */
  readonly country?: string | null;
}

// One bounded batch: other replicas purging at the same time skip the rows this one locked.
const PURGE_BATCH = `
  DELETE FROM sessions WHERE (tenant_id, session_id) IN (
    SELECT tenant_id, session_id FROM sessions
    WHERE expires_at <= now() - $1::bigint * interval '1 millisecond'
    ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `s`'s columns as `sessionOf` reads them (`s`: the sessions table's alias in the query). */
const SESSION_COLUMNS = 's.player_id, s.game_id, s.currency, s.expires_at, s.country';

interface SessionColumns {
  readonly player_id: string | null;
  readonly game_id: string;
  readonly currency: string;
  readonly expires_at: Date;
  readonly country: string | null;
}

/** No row, or a LEFT JOIN that found none (`player_id` null): no such session. */
function sessionOf(sessionId: string, row: SessionColumns | undefined): Session | null {
  if (row === undefined || row.player_id === null) return null;
  return {
    sessionId,
    playerId: row.player_id,
    gameId: row.game_id,
    currency: row.currency,
    expiresAt: row.expires_at,
    country: row.country,
  };
}

@Injectable()
export class SessionRepository {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  async open(tenantId: string, session: Omit<Session, 'sessionId'>): Promise<Session> {
    const { rows } = await this.pool.query<{ session_id: string }>(
      `INSERT INTO sessions (tenant_id, session_id, player_id, game_id, currency, expires_at, country)
       VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, $6) RETURNING session_id`,
      [
        tenantId,
        session.playerId,
        session.gameId,
        session.currency,
        session.expiresAt,
        session.country ?? null,
      ],
    );
    return { ...session, sessionId: rows[0]!.session_id };
  }

  async find(
    tenantId: string,
    sessionId: string,
    db: Pool | Transaction = this.pool,
  ): Promise<Session | null> {
    // Session ids are ours (UUIDs); anything else cannot exist, and Postgres would refuse to compare it.
    if (!UUID.test(sessionId)) return null;
    const { rows } = await db.query<SessionColumns>(
      `SELECT ${SESSION_COLUMNS} FROM sessions s WHERE tenant_id = $1 AND session_id = $2`,
      [tenantId, sessionId],
    );
    return sessionOf(sessionId, rows[0]);
  }

  /**
   * The session and the player's restrictions in one round trip (authorize reads both in its intent's
   * transaction), with `write` made in the same statement (its idempotency key's claim) and its rows in
   * `written`. A session id that is no UUID finds no session, and the restrictions are still read.
   */
  async findWithRestrictions(
    tenantId: string,
    sessionId: string,
    playerId: string,
    db: Pool | Transaction = this.pool,
    write?: WriteInRead,
  ): Promise<{ session: Session | null; restrictions: PlayerRestrictions; written: QueryResultRow[] }> {
    const { rows } = await db.query<SessionColumns & RestrictionColumns>(
      `${write ? writtenWith(write, 3) : ''}
       SELECT ${SESSION_COLUMNS}, ${RESTRICTION_COLUMNS}${write ? `, ${WRITTEN_COLUMN}` : ''}
         FROM (VALUES (1)) AS one
         LEFT JOIN sessions s ON s.tenant_id = $1 AND s.session_id = $2::uuid
         LEFT JOIN player_restrictions r ON r.tenant_id = $1 AND r.player_id = $3`,
      [tenantId, UUID.test(sessionId) ? sessionId : null, playerId, ...(write?.parameters ?? [])],
    );
    const row = rows[0];
    return {
      session: sessionOf(sessionId, row),
      restrictions: restrictionsOf(row),
      written: writtenBy(rows),
    };
  }

  /**
   * Deletes sessions expired for longer than `graceMs`, `batchSize` rows per statement until a batch is short.
   * Safe for bets in flight: only authorize reads a session and it refuses an expired one anyway; settle and
   * rollback never look at it.
   */
  async purgeExpired(graceMs: number, batchSize: number): Promise<number> {
    let purged = 0;
    for (;;) {
      const rows = await this.purgeExpiredBatch(graceMs, batchSize);
      purged += rows;
      if (rows < batchSize) return purged;
    }
  }

  /** One DELETE of at most `batchSize` sessions expired for longer than `graceMs`; how many it removed. */
  async purgeExpiredBatch(graceMs: number, batchSize: number): Promise<number> {
    const { rowCount } = await this.pool.query(PURGE_BATCH, [graceMs, batchSize]);
    return rowCount ?? 0;
  }
}
