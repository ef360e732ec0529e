import { type Transaction } from '@pitboss/event-store';
import { type ActiveGrant } from '@pitboss/wagering-domain';

/** A player of a tenant, whose active grants a settled bet is routed among. */
export interface PlayerOfTenant {
  readonly tenantId: string;
  readonly playerId: string;
}

interface ActiveGrantRow {
  readonly tenant_id: string;
  readonly player_id: string;
  readonly grant_id: string;
  readonly wagering_base: string;
  readonly active_from: Date;
}

/**
 * The active grants of players, as one unit of work sees them: the players of the unit's settled bets are read
 * with one statement when the unit is written (most have none, which is worth knowing too), any other player
 * on first use. What a grant's append changes is dropped (`forget`) and read again on next use.
 */
export class UnitActiveGrants {
  private constructor(
    private readonly tx: Transaction,
    private readonly known: Map<string, readonly ActiveGrant[]>,
  ) {}

  static async read(tx: Transaction, players: readonly PlayerOfTenant[]): Promise<UnitActiveGrants> {
    const distinct = new Map(players.map((player) => [keyOf(player.tenantId, player.playerId), player]));
    const known = new Map([...distinct.keys()].map((key): [string, ActiveGrant[]] => [key, []]));
    if (distinct.size > 0) {
      const { rows } = await tx.query<ActiveGrantRow>(
        `SELECT tenant_id, player_id, grant_id, wagering_base, active_from FROM wagering_grants
         WHERE (tenant_id, player_id) IN (SELECT * FROM unnest($1::text[], $2::text[])) AND status = 'active'`,
        [
          [...distinct.values()].map(({ tenantId }) => tenantId),
          [...distinct.values()].map(({ playerId }) => playerId),
        ],
      );
      for (const row of rows) known.get(keyOf(row.tenant_id, row.player_id))?.push(activeGrantOf(row));
    }
    return new UnitActiveGrants(tx, known);
  }

  async of(tenantId: string, playerId: string): Promise<readonly ActiveGrant[]> {
    const key = keyOf(tenantId, playerId);
    const known = this.known.get(key);
    if (known !== undefined) return known;
    const { rows } = await this.tx.query<ActiveGrantRow>(
      `SELECT tenant_id, player_id, grant_id, wagering_base, active_from FROM wagering_grants
       WHERE tenant_id = $1 AND player_id = $2 AND status = 'active'`,
      [tenantId, playerId],
    );
    const active = rows.map(activeGrantOf);
    this.known.set(key, active);
    return active;
  }

  /** The player's grants changed in the unit: the next `of` reads them again. */
  forget(tenantId: string, playerId: string): void {
    this.known.delete(keyOf(tenantId, playerId));
  }
}

// Postgres text holds no NUL: the key of one (tenant, player) can never be another's.
function keyOf(tenantId: string, playerId: string): string {
  return `${tenantId}\u0000${playerId}`;
}

function activeGrantOf(row: ActiveGrantRow): ActiveGrant {
  return {
    grantId: row.grant_id,
    base: row.wagering_base === 'bonus' ? 'bonus' : 'deposit_plus_bonus',
    activeFrom: row.active_from.toISOString(),
  };
}
