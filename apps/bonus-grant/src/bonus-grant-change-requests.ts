import { ChangeRequestsModule, TenantRegions } from '@pitboss/governance';

import { OfferPublishKind } from './offers/offer-publish.kind';
import { OFFERS_CONFIG, type OffersConfig } from './offers/offers.config';
import { OffersModule } from './offers/offers.module';

/**
 * bonus-grant's four-eyes routes (`/v1/change-requests…`, libs/governance): the kinds it accepts. `offer_publish`
 * (promo:admin proposes, promo:approve approves) publishes an offer version.
 */
export const bonusGrantChangeRequests = ChangeRequestsModule.forRoot({
  imports: [OffersModule],
  inject: [OFFERS_CONFIG, TenantRegions, OfferPublishKind],
  useFactory: (config: OffersConfig, tenantRegions: TenantRegions, offerPublish: OfferPublishKind) => ({
    schema: config.schema,
    ttlMs: config.changeRequestTtlMs,
    tenantRegions,
    kinds: [offerPublish],
  }),
});
