import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';

import { publicStatusOf } from '@pitboss/betting-domain';
import { PitbossError } from '@pitboss/contracts';
import { DATABASE_POOL, type Transaction } from '@pitboss/event-store';
import { readAsTenant } from '@pitboss/governance';

import { GOVERNANCE_CONFIG, type GovernanceConfig } from '../governance/governance.config';

import { BetRepository, type LoadedBet } from './bet-repository';

/** At most this many bets are listed for a round; rounds are a handful of bets in practice. */
const ROUND_BET_LIMIT = 500;

export interface BetView {
  readonly bet_id: string;
  readonly round_id: string | null;
  readonly session_id: string | null;
  readonly player_id: string | null;
  readonly game_id: string | null;
  readonly game_type: string | null;
  readonly amount: unknown;
  readonly win: unknown;
  readonly bonus_grant_id: string | null;
  readonly status: string;
  readonly history: readonly { type: string; occurred_at: string; data: unknown }[];
}

@Injectable()
export class BetQueries {
  constructor(
    private readonly bets: BetRepository,
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    @Inject(GOVERNANCE_CONFIG) private readonly governance: GovernanceConfig,
  ) {}

  /**
   * Reads run as the schema's reader role under row-level security (`readAsTenant`): the tenant in the query
   * is a second fence, not the only one.
   */
  bet(tenantId: string, betId: string): Promise<BetView> {
    return readAsTenant(this.pool, this.governance.schema, tenantId, (tx) => this.betIn(tx, tenantId, betId));
  }

  round(tenantId: string, roundId: string): Promise<{ round_id: string; bets: BetView[] }> {
    return readAsTenant(this.pool, this.governance.schema, tenantId, async (tx) => {
      const { rows } = await tx.query<{ bet_id: string }>(
        'SELECT bet_id FROM bet_index WHERE tenant_id = $1 AND round_id = $2 ORDER BY bet_id LIMIT $3',
        [tenantId, roundId, ROUND_BET_LIMIT],
      );
      if (rows.length === 0) throw new PitbossError('ROUND_NOT_FOUND', `no bets in round ${roundId}`);
      const bets: BetView[] = [];
      // One after the other: queries on one transaction's connection run in turn anyway.
      for (const { bet_id } of rows) bets.push(await this.betIn(tx, tenantId, bet_id));
      return { round_id: roundId, bets };
    });
  }

  private async betIn(tx: Transaction, tenantId: string, betId: string): Promise<BetView> {
    const loaded = await this.bets.load(tenantId, betId, tx);
    if (loaded.version === 0) throw new PitbossError('BET_NOT_FOUND', `no bet ${betId}`);
    return viewOf(betId, loaded);
  }
}

function viewOf(betId: string, { state, history }: LoadedBet): BetView {
  const terms = state.terms;
  return {
    bet_id: betId,
    round_id: terms?.round_id ?? null,
    session_id: terms?.session_id ?? null,
    player_id: terms?.player_id ?? null,
    game_id: terms?.game_id ?? null,
    game_type: terms?.game_type ?? null,
    amount: terms?.amount ?? null,
    win: state.win,
    bonus_grant_id: terms?.bonus_grant_id ?? null,
    status: publicStatusOf(state) ?? 'debit_pending',
    history: history.map((event) => ({
      type: event.type,
      occurred_at: event.occurredAt.toISOString(),
      data: event.data,
    })),
  };
}
