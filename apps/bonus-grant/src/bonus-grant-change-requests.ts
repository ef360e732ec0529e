import { ChangeRequestsModule, TenantRegions } from '@pitboss/governance';

import { BonusConversionKind } from './grants/bonus-conversion.kind';
import { BonusGrantKind } from './grants/bonus-grant.kind';
import { GrantsModule } from './grants/grants.module';
import { OfferPublishKind } from './offers/offer-publish.kind';
import { OFFERS_CONFIG, type OffersConfig } from './offers/offers.config';
import { OffersModule } from './offers/offers.module';

/**
 * bonus-grant's four-eyes routes (`/v1/change-requests…`, libs/governance): the kinds it accepts. `offer_publish`
 * (promo:admin proposes, promo:approve approves) publishes an offer version; `bonus_grant` (promo:issue proposes,
 * promo:approve approves) issues a held grant; `bonus_conversion` (opened by bonus-grant, promo:approve decides)
 * converts or forfeits a held conversion.
 */
export const bonusGrantChangeRequests = ChangeRequestsModule.forRoot({
  imports: [OffersModule, GrantsModule],
  inject: [OFFERS_CONFIG, TenantRegions, OfferPublishKind, BonusGrantKind, BonusConversionKind],
  useFactory: (
    config: OffersConfig,
    tenantRegions: TenantRegions,
    offerPublish: OfferPublishKind,
    bonusGrant: BonusGrantKind,
    bonusConversion: BonusConversionKind,
  ) => ({
    schema: config.schema,
    ttlMs: config.changeRequestTtlMs,
    tenantRegions,
    kinds: [offerPublish, bonusGrant, bonusConversion],
  }),
});
