import { Controller, HttpCode, Inject, Post, Query, Req } from '@nestjs/common';
import { type Request } from 'express';
import { type Pool } from 'pg';

import { CurrentPrincipal, type Principal, RequireScopes } from '@pitboss/auth';
import { PitbossError } from '@pitboss/contracts';
import { DATABASE_POOL } from '@pitboss/event-store';

import { importReport } from '../imports/report-import';
import { ReconciliationRunner } from '../run/reconciliation-runner';
import { WalletReportError } from '../run/wallet-report.source';
import { importQuerySchema, validate } from './recon-request.schemas';
import { runOfTenant } from './run-queries';
import { tenantOfRequest } from './tenant-of-request';

/**
 * `POST /v1/recon/imports?date=&report=wallet|psp` with the report as the `text/csv` body (scope recon:import):
 * the body is streamed into the database (never held in memory), then the day is reconciled against it; the
 * answer is the import and its run.
 */
@RequireScopes('recon:import')
@Controller('v1/recon/imports')
export class ImportsController {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly runner: ReconciliationRunner,
  ) {}

  @Post()
  @HttpCode(201)
  async upload(@Req() request: Request, @Query() query: unknown, @CurrentPrincipal() principal: Principal) {
    const { date, tenant, report } = validate(importQuerySchema, query);
    const tenantId = tenantOfRequest(principal, tenant);
    const mediaType = (request.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (mediaType !== 'text/csv')
      throw new PitbossError('UNSUPPORTED_MEDIA_TYPE', 'send the report as Content-Type: text/csv');
    let imported;
    try {
      imported = await importReport(
        this.pool,
        { tenantId, date, ledger: report, importedBy: principal.clientId },
        request,
      );
    } catch (error) {
      if (error instanceof WalletReportError) throw new PitbossError('RECON_REPORT_INVALID', error.message);
      throw error;
    }
    const result = await this.runner.fromImport(imported.importId, tenantId, date, report);
    return {
      import_id: imported.importId,
      rows: imported.rows,
      run: await runOfTenant(this.pool, tenantId, result.runId),
    };
  }
}
