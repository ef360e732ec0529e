import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { type Pool } from 'pg';

import { CurrentPrincipal, type Principal, RequireScopes } from '@pitboss/auth';
import { PitbossError } from '@pitboss/contracts';
import { DATABASE_POOL } from '@pitboss/event-store';

import {
  discrepanciesQuerySchema,
  listRunsQuerySchema,
  runIdSchema,
  validate,
} from './recon-request.schemas';
import { discrepanciesOfRun, listRuns, runOfTenant } from './run-queries';
import { tenantOfRequest } from './tenant-of-request';

/**
 * Reconciliation runs of the caller's tenant (scope recon:read). The tenant is the token's: `tenant=` may only
 * repeat it (another is 403 TENANT_MISMATCH), and another tenant's run id is 404 like an unknown one.
 */
@RequireScopes('recon:read')
@Controller('v1/recon/runs')
export class RunsController {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  @Get()
  async list(@Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const { date, tenant, limit } = validate(listRunsQuerySchema, query);
    return { runs: await listRuns(this.pool, tenantOfRequest(principal, tenant), date, limit) };
  }

  @Get(':runId')
  async get(@Param('runId') runId: string, @CurrentPrincipal() principal: Principal) {
    return this.runOf(principal, runId);
  }

  @Get(':runId/discrepancies')
  async discrepancies(
    @Param('runId') runId: string,
    @Query() query: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    const parsed = validate(discrepanciesQuerySchema, query);
    const run = await this.runOf(principal, runId);
    const page = await discrepanciesOfRun(
      this.pool,
      run.run_id,
      parsed.class,
      Number(parsed.cursor ?? 0),
      parsed.limit,
    );
    const last = page[page.length - 1];
    return {
      run_id: run.run_id,
      discrepancies: page,
      next_cursor: page.length === parsed.limit && last ? String(last.seq) : null,
    };
  }

  private async runOf(principal: Principal, runId: string) {
    const id = validate(runIdSchema, runId, 'run_id');
    const run = await runOfTenant(this.pool, principal.tenantId, id);
    if (!run) throw new PitbossError('RECON_RUN_NOT_FOUND', `no reconciliation run ${id} in your tenant`);
    return run;
  }
}
