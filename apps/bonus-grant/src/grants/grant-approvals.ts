import { type Pool } from 'pg';

import { DATABASE_POOL } from '@pitboss/event-store';
import { ChangeRequests, PostgresAuditJournal } from '@pitboss/governance';

import { OFFERS_CONFIG, type OffersConfig } from '../offers/offers.config';
import { BonusGrantKind } from './bonus-grant.kind';
import { GrantIssuer } from './grant-issuer';

/**
 * The grants' own handle on the four-eyes change requests (the same table and audit journal as the
 * `/v1/change-requests` routes): the API and the wagering consumer submit held grants and conversions in their
 * own transactions (`submitIn`), so a held request commits with its idempotency record or inbox row.
 */
export const GRANT_APPROVALS = Symbol('GRANT_APPROVALS');

export const grantKindProviders = [
  {
    provide: BonusGrantKind,
    inject: [GrantIssuer],
    useFactory: (issuer: GrantIssuer) => new BonusGrantKind(issuer),
  },
  {
    provide: GRANT_APPROVALS,
    inject: [DATABASE_POOL, PostgresAuditJournal, OFFERS_CONFIG, BonusGrantKind],
    useFactory: (pool: Pool, audit: PostgresAuditJournal, config: OffersConfig, grant: BonusGrantKind) =>
      new ChangeRequests(pool, audit, {
        schema: config.schema,
        ttlMs: config.changeRequestTtlMs,
        kinds: [grant],
      }),
  },
];
