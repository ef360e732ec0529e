import {
  assertMathVersionAllowed,
  type GameConfig,
  type MathVersion,
  onlyTurnsFeaturesOff,
} from '@pitboss/betting-domain';
import { type Transaction } from '@pitboss/event-store';
import { type AppliedChange, type ChangeKind, type PostgresVersionedConfig } from '@pitboss/governance';
import { type ChangeFacts, type ChangePolicy, type ChangeRequest } from '@pitboss/governance-domain';

import { validate } from '../api/validate';
import { GAME_CONFIG_NAMESPACE, gameConfigKey, gameConfigSchema } from './game-config.schema';

export const GAME_CONFIG_POLICY: ChangePolicy = {
  kind: 'game_config',
  proposeScope: 'config:write',
  approveScope: 'config:approve',
  // A kill switch (features only turned off) applies at once by one person; anything else needs two.
  rule: { type: 'unless_only_disabling' },
};

/**
 * A new version of a game's configuration in a region. Its certified math version is frozen once used: checked
 * when proposed and again when applied (another version may have certified it in between).
 */
export class GameConfigKind implements ChangeKind<GameConfig> {
  readonly policy = GAME_CONFIG_POLICY;

  constructor(private readonly configs: PostgresVersionedConfig) {}

  parse(payload: unknown): GameConfig {
    return validate(gameConfigSchema, payload);
  }

  async facts(tx: Transaction, tenantId: string, proposed: GameConfig): Promise<ChangeFacts> {
    await this.assertMathAllowed(tx, tenantId, proposed);
    const current = await this.configs.current<GameConfig>(
      tx,
      tenantId,
      GAME_CONFIG_NAMESPACE,
      gameConfigKey(proposed.game_id, proposed.region),
    );
    return { onlyDisables: onlyTurnsFeaturesOff(current?.document ?? null, proposed) };
  }

  async apply(tx: Transaction, request: ChangeRequest, proposed: GameConfig): Promise<AppliedChange> {
    await this.assertMathAllowed(tx, request.tenantId, proposed);
    const key = gameConfigKey(proposed.game_id, proposed.region);
    const before = await this.configs.current<GameConfig>(tx, request.tenantId, GAME_CONFIG_NAMESPACE, key);
    const created = await this.configs.append(
      tx,
      request.tenantId,
      GAME_CONFIG_NAMESPACE,
      key,
      proposed,
      request.id,
    );
    return {
      action: 'game_config.version_created',
      subject: `game_config:${request.tenantId}:${key}`,
      before: before === null ? null : { version: before.version, config: before.document },
      after: { version: created.version, config: created.document },
    };
  }

  private async assertMathAllowed(tx: Transaction, tenantId: string, proposed: GameConfig): Promise<void> {
    const history = await this.configs.history<GameConfig>(tx, tenantId, GAME_CONFIG_NAMESPACE);
    const known: MathVersion[] = history
      .filter((version) => version.document.game_id === proposed.game_id && version.document.math !== null)
      .map((version) => version.document.math as MathVersion);
    assertMathVersionAllowed(known, proposed.math);
  }
}
