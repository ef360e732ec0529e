import { type Pool } from 'pg';

import { DATABASE_POOL } from '@pitboss/event-store';
import { ChangeRequests, PostgresAuditJournal } from '@pitboss/governance';

import { OFFERS_CONFIG, type OffersConfig } from '../offers/offers.config';
import { BonusConversionKind } from './bonus-conversion.kind';
import { BonusGrantKind } from './bonus-grant.kind';
import { GRANT_APPROVALS } from './grant-approvals.token';
import { ConversionVelocityRecorder } from './grant-conversions';
import { GrantIssuer } from './grant-issuer';
import { GrantMetrics } from './grant-metrics';
import { GrantStreams } from './grant-streams.repository';
import { GrantTimersService } from './grant-timers.service';

/** The grants' four-eyes kinds and the change requests the grants submit to (GRANT_APPROVALS). */
export const grantKindProviders = [
  {
    provide: BonusGrantKind,
    inject: [GrantIssuer],
    useFactory: (issuer: GrantIssuer) => new BonusGrantKind(issuer),
  },
  {
    provide: BonusConversionKind,
    inject: [GrantStreams, GrantTimersService, ConversionVelocityRecorder, GrantMetrics],
    useFactory: (
      streams: GrantStreams,
      timers: GrantTimersService,
      velocity: ConversionVelocityRecorder,
      metrics: GrantMetrics,
    ) => new BonusConversionKind(streams, timers, velocity, metrics),
  },
  {
    provide: GRANT_APPROVALS,
    inject: [DATABASE_POOL, PostgresAuditJournal, OFFERS_CONFIG, BonusGrantKind, BonusConversionKind],
    useFactory: (
      pool: Pool,
      audit: PostgresAuditJournal,
      config: OffersConfig,
      grant: BonusGrantKind,
      conversion: BonusConversionKind,
    ) =>
      new ChangeRequests(pool, audit, {
        schema: config.schema,
        ttlMs: config.changeRequestTtlMs,
        kinds: [grant, conversion],
      }),
  },
];
