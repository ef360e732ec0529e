import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';

import { DATABASE_POOL } from '@pitboss/event-store';

export interface Session {
  readonly sessionId: string;
  readonly playerId: string;
  readonly gameId: string;
  readonly currency: string;
  readonly expiresAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class SessionRepository {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  async open(tenantId: string, session: Omit<Session, 'sessionId'>): Promise<Session> {
    const { rows } = await this.pool.query<{ session_id: string }>(
      `INSERT INTO sessions (tenant_id, session_id, player_id, game_id, currency, expires_at)
       VALUES ($1, gen_random_uuid(), $2, $3, $4, $5) RETURNING session_id`,
      [tenantId, session.playerId, session.gameId, session.currency, session.expiresAt],
    );
    return { ...session, sessionId: rows[0]!.session_id };
  }

  async find(tenantId: string, sessionId: string): Promise<Session | null> {
    // Session ids are ours (UUIDs); anything else cannot exist, and Postgres would refuse to compare it.
    if (!UUID.test(sessionId)) return null;
    const { rows } = await this.pool.query<{
      player_id: string;
      game_id: string;
      currency: string;
      expires_at: Date;
    }>(
      'SELECT player_id, game_id, currency, expires_at FROM sessions WHERE tenant_id = $1 AND session_id = $2',
      [tenantId, sessionId],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      sessionId,
      playerId: row.player_id,
      gameId: row.game_id,
      currency: row.currency,
      expiresAt: row.expires_at,
    };
  }
}
