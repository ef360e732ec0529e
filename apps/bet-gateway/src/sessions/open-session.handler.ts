import { Inject, Injectable } from '@nestjs/common';

import { PitbossError } from '@pitboss/contracts';
import { type StoredResponse } from '@pitboss/idempotency';

import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';
import { DegradedMode } from '../degraded-mode/degraded-mode.service';
import { SessionRepository } from './session.repository';

export interface OpenSession {
  readonly player_id: string;
  readonly game_id: string;
  readonly currency: string;
  /** The player's country (ISO 3166-1 alpha-2), for the games' geo-bans; optional. */
  readonly country?: string | undefined;
}

@Injectable()
export class OpenSessionHandler {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly degradedMode: DegradedMode,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async handle(tenantId: string, command: OpenSession): Promise<StoredResponse> {
    const mode = await this.degradedMode.current(tenantId);
    if (mode.no_new_sessions) {
      throw new PitbossError(
        'NO_NEW_SESSIONS',
        `no new sessions: ${mode.reason}; running rounds keep settling`,
      );
    }
    const session = await this.sessions.open(tenantId, {
      playerId: command.player_id,
      gameId: command.game_id,
      currency: command.currency,
      country: command.country ?? null,
      expiresAt: new Date(Date.now() + this.config.sessionTtlMs),
    });
    return {
      status: 201,
      body: { session_id: session.sessionId, expires_at: session.expiresAt.toISOString() },
    };
  }
}
