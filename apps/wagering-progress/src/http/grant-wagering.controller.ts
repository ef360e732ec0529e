import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { type Response } from 'express';
import { type Pool } from 'pg';

import { CurrentPrincipal, type Principal, RequireScopes } from '@pitboss/auth';
import { PitbossError } from '@pitboss/contracts';
import { DATABASE_POOL } from '@pitboss/event-store';
import { parseOrInvalid } from '@pitboss/governance';
import { recompute } from '@pitboss/wagering-domain';

import { WageringStreamsRepository } from '../progress/wagering-streams.repository';
import { ContributionSchemasRepository } from '../schemas/contribution-schemas.repository';
import { receiptsCsv } from './receipts.csv';
import {
  contributionsQuerySchema,
  exportQuerySchema,
  grantIdParams,
  recomputeQuerySchema,
} from './request-schemas';
import { notFound, WageringQueries } from './wagering-queries';

/**
 * A grant's wagering, for promo operators and support (scope promo:issue): progress, the per-bet receipts, a
 * recompute dry run under another schema version, and the export of every contribution with its version.
 */
@RequireScopes('promo:issue')
@Controller('v1/bonus/grants/:id')
export class GrantWageringController {
  constructor(
    private readonly queries: WageringQueries,
    private readonly streams: WageringStreamsRepository,
    private readonly schemas: ContributionSchemasRepository,
    @Inject(DATABASE_POOL) private readonly pool: Pool,
  ) {}

  @Get('progress')
  progress(@Param() params: unknown, @CurrentPrincipal() principal: Principal) {
    const { id } = parseOrInvalid(grantIdParams, params);
    return this.queries.progress(principal.tenantId, id);
  }

  @Get('contributions')
  async contributions(
    @Param() params: unknown,
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    const { id } = parseOrInvalid(grantIdParams, params);
    const { limit, after } = parseOrInvalid(contributionsQuerySchema, query);
    const receipts = await this.queries.receipts(principal.tenantId, id, {
      limit,
      ...(after === undefined ? {} : { after }),
    });
    const last = receipts.at(-1);
    return {
      grant_id: id,
      contributions: receipts,
      next_after: receipts.length === limit && last !== undefined ? last.seq : null,
    };
  }

  @Get('contributions/export')
  async export(
    @Param() params: unknown,
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() response: Response,
  ): Promise<void> {
    const { id } = parseOrInvalid(grantIdParams, params);
    const { format } = parseOrInvalid(exportQuerySchema, query);
    const receipts = await this.queries.receipts(principal.tenantId, id);
    const name = `wagering-${id.replace(/[^A-Za-z0-9._-]/g, '_')}`;
    if (format === 'csv') {
      response
        .status(200)
        .type('text/csv')
        .setHeader('content-disposition', `attachment; filename="${name}.csv"`)
        .send(receiptsCsv(receipts));
      return;
    }
    response
      .status(200)
      .setHeader('content-disposition', `attachment; filename="${name}.json"`)
      .json({ grant_id: id, exported_at: new Date().toISOString(), contributions: receipts });
  }

  /** Replays the grant's considered bets under another schema version; records nothing. */
  @Get('recompute')
  async recompute(
    @Param() params: unknown,
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    const { id } = parseOrInvalid(grantIdParams, params);
    const { schema_version, schema_id } = parseOrInvalid(recomputeQuerySchema, query);
    // The stream's id names the token's tenant, so the owner's read cannot reach another tenant's grant.
    const loaded = await this.streams.load(this.pool, principal.tenantId, id);
    const terms = loaded.state.terms;
    if (terms === null) throw notFound(id);
    const schemaId = schema_id ?? terms.schemaId;
    const schema =
      schemaId === null ? null : await this.schemas.version(principal.tenantId, schemaId, schema_version);
    if (schema === null)
      throw new PitbossError(
        'CONTRIBUTION_SCHEMA_NOT_FOUND',
        `no version ${schema_version} of contribution schema ${schemaId ?? '(none pinned)'} in your tenant`,
      );
    const result = recompute(terms, loaded.events, schema);
    return {
      grant_id: id,
      pinned: { schema_id: terms.schemaId, schema_version: terms.schemaVersion },
      recomputed_under: { schema_id: schema.schemaId, schema_version: schema.version },
      required_minor: terms.required.minor_units,
      actual_contributed_minor: result.actualContributedMinor,
      recomputed_contributed_minor: result.recomputedContributedMinor,
      difference_minor: result.differenceMinor,
      would_complete: result.wouldComplete,
      bets: result.bets.map((bet) => ({
        bet_id: bet.betId,
        actual: snake(bet.actual),
        recomputed: snake(bet.recomputed),
        difference_minor: bet.differenceMinor,
      })),
    };
  }
}

function snake(view: {
  rule: string;
  schemaVersion: number | null;
  contributionMinor: number;
  reason: string | null;
}) {
  return {
    rule: view.rule,
    schema_version: view.schemaVersion,
    contribution_minor: view.contributionMinor,
    reason: view.reason,
  };
}
