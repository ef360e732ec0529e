import { Module } from '@nestjs/common';

import { IdempotencyModule } from '@pitboss/idempotency';

import { GRANTS_CONFIG, grantsConfig } from '../grants/grants.config';
import { GrantsModule } from '../grants/grants.module';
import { EntitlementsController } from '../http/entitlements.controller';
import { OffersModule } from '../offers/offers.module';
import { PlayerFactsReader } from '../players/player-facts.reader';
import { EntitlementIssuer } from './entitlement-issuer';
import { EntitlementMetrics } from './entitlement-metrics';
import { EntitlementUsesConsumer } from './entitlement-uses.consumer';
import { EntitlementWinsConsumer } from './entitlement-wins.consumer';

/**
 * Free spins and free bets: the runtime API, its store, `entitlement.granted` on promo.grants.v1, and the tokens
 * left as bet-gateway reports them on rgs.rounds.v1, and the grants of their bonus-credited wins from
 * rgs.settlements.v1.
 */
@Module({
  imports: [OffersModule, GrantsModule, IdempotencyModule.forRoot()],
  // HTTP routes, and the @EventPattern handlers of the two transports main.ts connects for them.
  controllers: [EntitlementsController, EntitlementUsesConsumer, EntitlementWinsConsumer],
  providers: [
    // The grants' velocity settings: an entitlement counts as a grant of the player's 24 h.
    { provide: GRANTS_CONFIG, useFactory: () => grantsConfig() },
    EntitlementMetrics,
    EntitlementIssuer,
    PlayerFactsReader,
  ],
})
export class EntitlementsModule {}
