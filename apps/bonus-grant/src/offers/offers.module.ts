import { Module } from '@nestjs/common';

import { PostgresEventStore } from '@pitboss/event-store';
import { PostgresAuditJournal, TenantRegions } from '@pitboss/governance';

import { OfferPublishKind } from './offer-publish.kind';
import { OFFERS_CONFIG, offersConfig, type OffersConfig } from './offers.config';
import { OffersRepository } from './offers.repository';
import { PublishedOffers } from './published-offers';

/**
 * Offers' storage and their four-eyes kind, for the app and for the change-requests module (which needs the kind
 * before the app's providers exist). PublishedOffers is what the grants saga reads.
 */
@Module({
  providers: [
    { provide: OFFERS_CONFIG, useFactory: () => offersConfig() },
    OffersRepository,
    PublishedOffers,
    {
      provide: OfferPublishKind,
      inject: [OffersRepository, PostgresEventStore],
      useFactory: (offers: OffersRepository, store: PostgresEventStore) =>
        new OfferPublishKind(offers, store),
    },
    {
      provide: PostgresAuditJournal,
      inject: [OFFERS_CONFIG, PostgresEventStore],
      useFactory: (config: OffersConfig, store: PostgresEventStore) =>
        new PostgresAuditJournal(config.schema, store),
    },
    {
      provide: TenantRegions,
      inject: [OFFERS_CONFIG],
      useFactory: (config: OffersConfig) => TenantRegions.parse(config.region, config.tenantRegions),
    },
  ],
  exports: [
    OFFERS_CONFIG,
    OffersRepository,
    PublishedOffers,
    OfferPublishKind,
    PostgresAuditJournal,
    TenantRegions,
  ],
})
export class OffersModule {}
