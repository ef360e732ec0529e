import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';

import { PitbossError } from '@pitboss/contracts';
import { DATABASE_POOL } from '@pitboss/event-store';
import { readAsTenant } from '@pitboss/governance';

import { WAGERING_CONFIG } from '../wagering-progress.tokens';
import { type WageringProgressConfig } from '../wagering-progress.config';

export interface ProgressView {
  readonly grant_id: string;
  readonly status: string;
  readonly currency: string;
  readonly required_minor: number;
  readonly contributed_minor: number;
  readonly remaining_minor: number;
  /** Percent of the requirement met, floored to two decimals (37.5 = 37.50 %). */
  readonly pct: number;
  readonly schema_id: string | null;
  readonly schema_version: number | null;
}

export interface ReceiptView {
  readonly seq: number;
  readonly bet_id: string;
  readonly bet_at: string;
  readonly stake: { readonly minor_units: number; readonly currency: string };
  readonly game_id: string | null;
  readonly provider: string | null;
  readonly game_type: string | null;
  readonly funded_by: string | null;
  readonly schema_id: string | null;
  readonly schema_version: number | null;
  readonly rule: string;
  readonly pct_bp: number;
  readonly contribution_minor: number;
  readonly reason: string | null;
  readonly rolled_back: boolean;
}

/** Reads of the wagering projections, as the caller's tenant (row-level security). */
@Injectable()
export class WageringQueries {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    @Inject(WAGERING_CONFIG) private readonly config: WageringProgressConfig,
  ) {}

  progress(tenantId: string, grantId: string): Promise<ProgressView> {
    return readAsTenant(this.pool, this.config.schema, tenantId, async (tx) => {
      const { rows } = await tx.query('SELECT * FROM wagering_grants WHERE grant_id = $1', [grantId]);
      const row = rows[0];
      if (row === undefined) throw notFound(grantId);
      const required = Number(row.required_minor);
      const contributed = Number(row.contributed_minor);
      const pctBp = required === 0 ? 10_000 : Math.floor((contributed * 10_000) / required);
      return {
        grant_id: grantId,
        status: row.status,
        currency: row.currency,
        required_minor: required,
        contributed_minor: contributed,
        remaining_minor: Math.max(0, required - contributed),
        pct: pctBp / 100,
        schema_id: row.schema_id,
        schema_version: row.schema_version,
      };
    });
  }

  /** A page of the grant's receipts in the order considered; all of them without `limit`. */
  receipts(
    tenantId: string,
    grantId: string,
    page: { readonly limit?: number; readonly after?: number } = {},
  ): Promise<ReceiptView[]> {
    return readAsTenant(this.pool, this.config.schema, tenantId, async (tx) => {
      const known = await tx.query('SELECT 1 FROM wagering_grants WHERE grant_id = $1', [grantId]);
      if (known.rowCount === 0) throw notFound(grantId);
      const { rows } = await tx.query(
        `SELECT * FROM wagering_contributions WHERE grant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
        [grantId, page.after ?? 0, page.limit ?? null],
      );
      return rows.map((row): ReceiptView => ({
        seq: Number(row.seq),
        bet_id: row.bet_id,
        bet_at: (row.bet_at as Date).toISOString(),
        stake: { minor_units: Number(row.stake_minor), currency: row.currency },
        game_id: row.game_id,
        provider: row.provider,
        game_type: row.game_type,
        funded_by: row.funded_by,
        schema_id: row.schema_id,
        schema_version: row.schema_version,
        rule: row.rule,
        pct_bp: row.pct_bp,
        contribution_minor: row.rolled_back ? 0 : Number(row.contribution_minor),
        reason: row.rolled_back ? 'ROLLED_BACK' : row.reason,
        rolled_back: row.rolled_back,
      }));
    });
  }
}

export function notFound(grantId: string): PitbossError {
  return new PitbossError('WAGERING_NOT_FOUND', `no wagering for grant ${grantId} in your tenant`);
}
