import { Controller, Get, Inject, Param } from '@nestjs/common';
import { type Pool } from 'pg';

import { CurrentPrincipal, type Principal, RequireScopes } from '@pitboss/auth';
import { PitbossError } from '@pitboss/contracts';
import { type GameConfig } from '@pitboss/betting-domain';
import { DATABASE_POOL } from '@pitboss/event-store';
import {
  type ConfigVersion,
  PostgresVersionedConfig,
  readAsTenant,
  TenantRegions,
} from '@pitboss/governance';
import { PublicRoute } from '@pitboss/security';

import { validateId } from '../api/validate';
import { GameConfigs } from '../governance/game-configs.service';
import { GAME_CONFIG_NAMESPACE, gameConfigKey } from '../governance/game-config.schema';
import { GOVERNANCE_CONFIG, type GovernanceConfig } from '../governance/governance.config';

/**
 * A game's configuration in this region, for the operators who change it (scope `config:write`; the tenant is
 * the token's). `config` is the version this replica enforces (from memory, as authorize reads it); `versions` is
 * the full history from Postgres, oldest first, under row-level security. Versions are immutable: going back is
 * a new version equal to an old one, through a change request.
 */
@PublicRoute()
@RequireScopes('config:write')
@Controller('v1/games/:gameId/config')
export class GameConfigController {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    @Inject(GOVERNANCE_CONFIG) private readonly config: GovernanceConfig,
    private readonly configs: GameConfigs,
    private readonly versions: PostgresVersionedConfig,
    private readonly regions: TenantRegions,
  ) {}

  @Get()
  current(@Param('gameId') gameId: string, @CurrentPrincipal() principal: Principal) {
    const id = this.checked(gameId, principal);
    const version = this.configs.current(principal.tenantId, id);
    if (version === null) throw notFound(id, this.config.region);
    return versionView(version);
  }

  @Get('versions')
  async history(@Param('gameId') gameId: string, @CurrentPrincipal() principal: Principal) {
    const id = this.checked(gameId, principal);
    const key = gameConfigKey(id, this.config.region);
    const all = await readAsTenant(this.pool, this.config.schema, principal.tenantId, (tx) =>
      this.versions.history<GameConfig>(tx, principal.tenantId, GAME_CONFIG_NAMESPACE),
    );
    const versions = all.filter((version) => version.key === key);
    if (versions.length === 0) throw notFound(id, this.config.region);
    return { game_id: id, region: this.config.region, versions: versions.map(versionView) };
  }

  private checked(gameId: string, principal: Principal): string {
    this.regions.assertServes(principal.tenantId, principal.region);
    return validateId('game_id', gameId);
  }
}

function versionView(version: ConfigVersion<GameConfig>) {
  return {
    version: version.version,
    config: version.document,
    change_request_id: version.changeRequestId,
    created_at: version.createdAt.toISOString(),
  };
}

function notFound(gameId: string, region: string): PitbossError {
  return new PitbossError('GAME_CONFIG_NOT_FOUND', `game ${gameId} has no configuration in ${region}`);
}
