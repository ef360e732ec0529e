import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { type Response } from 'express';
import { type Pool } from 'pg';

import { CurrentPrincipal, type Principal, RequireScopes } from '@pitboss/auth';
import { DATABASE_POOL } from '@pitboss/event-store';

import { ggrCsv } from '../reports/ggr-csv';
import { ggrPdf } from '../reports/ggr-pdf';
import { ggrReportOf } from '../reports/ggr-queries';
import { ggrReportQuerySchema, validate } from './recon-request.schemas';
import { tenantOfRequest } from './tenant-of-request';

/** `GET /v1/recon/reports/ggr?date=&format=csv|pdf` (scope recon:read): the tenant's day, from the mirror. */
@RequireScopes('recon:read')
@Controller('v1/recon/reports')
export class ReportsController {
  constructor(@Inject(DATABASE_POOL) private readonly pool: Pool) {}

  @Get('ggr')
  async ggr(@Query() query: unknown, @CurrentPrincipal() principal: Principal, @Res() response: Response) {
    const { date, tenant, format } = validate(ggrReportQuerySchema, query);
    const report = await ggrReportOf(this.pool, tenantOfRequest(principal, tenant), date);
    const filename = `ggr-${report.tenantId}-${date}.${format}`;
    response.setHeader('content-disposition', `attachment; filename="${filename}"`);
    if (format === 'pdf') response.type('application/pdf').send(await ggrPdf(report));
    else response.type('text/csv; charset=utf-8').send(ggrCsv(report));
  }
}
