import { Controller, Get, Inject, Query } from '@nestjs/common';
import { type Pool } from 'pg';

import { CurrentPrincipal, PLATFORM_TENANT, type Principal, RequireScopes } from '@pitboss/auth';
import { PitbossError } from '@pitboss/contracts';
import { DATABASE_POOL } from '@pitboss/event-store';
import { type AuditEntry } from '@pitboss/governance-domain';
import { PublicRoute } from '@pitboss/security';

import { PostgresAuditJournal } from '../audit-journal';
import { TenantRegions } from '../tenant-regions';
import { parseAuditQuery } from './audit-query';

/** One page of `GET /v1/audit`, newest first; `next_cursor` continues below its last entry, null at the end. */
export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  readonly next_cursor: string | null;
}

/**
 * `GET /v1/audit`: the hash-chained journal of the service's schema, read by operators with `audit:read`. The
 * tenant is the token's, never a parameter: a brand reads its own entries and the platform's operators read the
 * platform's (row-level security under the reader role enforces it). A bearer-token route, so exempt from the
 * aggregator signature. Needs `AuthModule`, the event store's `DATABASE_POOL`, `PostgresAuditJournal` and
 * `TenantRegions` in the app.
 */
@PublicRoute()
@RequireScopes('audit:read')
@Controller('v1/audit')
export class AuditController {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    @Inject(PostgresAuditJournal) private readonly journal: PostgresAuditJournal,
    @Inject(TenantRegions) private readonly regions: TenantRegions,
  ) {}

  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: Readonly<Record<string, unknown>>,
  ): Promise<AuditPage> {
    this.assertServes(principal);
    const filter = parseAuditQuery(query);
    // One more than asked: whether a next page exists without a second query.
    const rows = await this.journal.query(this.pool, principal.tenantId, {
      ...filter,
      limit: filter.limit + 1,
    });
    const entries = rows.slice(0, filter.limit);
    const last = entries.at(-1);
    return {
      entries,
      next_cursor: rows.length > filter.limit && last !== undefined ? String(last.sequence) : null,
    };
  }

  /**
   * A brand's journal is read only in the region it is bound to; the platform is in every region, so only its
   * token's region is checked (a token issued for another region's deployment is refused either way).
   */
  private assertServes(principal: Principal): void {
    if (principal.tenantId !== PLATFORM_TENANT) {
      this.regions.assertServes(principal.tenantId, principal.region);
      return;
    }
    if (principal.region !== this.regions.deploymentRegion) {
      throw new PitbossError(
        'TENANT_WRONG_REGION',
        `the token is for region ${principal.region}, this deployment serves ${this.regions.deploymentRegion}`,
        { region: principal.region },
      );
    }
  }
}
