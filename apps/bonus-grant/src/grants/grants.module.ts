import { Module } from '@nestjs/common';

import { IdempotencyModule } from '@pitboss/idempotency';

import { GrantsController } from '../http/grants.controller';
import { OffersModule } from '../offers/offers.module';
import { PlayerFactsReader } from '../players/player-facts.reader';
import { BonusConversionKind } from './bonus-conversion.kind';
import { BonusGrantKind } from './bonus-grant.kind';
import { grantKindProviders } from './grant-approvals';
import { ConversionVelocityRecorder, GrantConversions } from './grant-conversions';
import { GrantEndings } from './grant-endings';
import { GrantEventsConsumer } from './grant-events.consumer';
import { GrantEventsHandler } from './grant-events.handler';
import { GrantIssuer } from './grant-issuer';
import { GrantMetrics } from './grant-metrics';
import { GrantStepRunner } from './grant-step.runner';
import { GrantStreams } from './grant-streams.repository';
import { GrantTimersService } from './grant-timers.service';
import { grantWalletProvider } from './grant-wallet.provider';
import { GRANTS_CONFIG, grantsConfig } from './grants.config';

/**
 * The grant life cycle: the runtime API, the saga (stream, timer loop, wallet), its inbound events (deposits,
 * self-exclusions, wagering completions). Reads published offers and player facts from the offers' side.
 */
@Module({
  imports: [OffersModule, IdempotencyModule.forRoot()],
  // HTTP routes, and the @EventPattern handlers of the bonus-grant-grants transport main.ts connects.
  controllers: [GrantsController, GrantEventsConsumer],
  providers: [
    { provide: GRANTS_CONFIG, useFactory: () => grantsConfig() },
    GrantMetrics,
    grantWalletProvider,
    GrantStreams,
    GrantStepRunner,
    GrantTimersService,
    GrantIssuer,
    GrantEndings,
    GrantEventsHandler,
    PlayerFactsReader,
    ConversionVelocityRecorder,
    GrantConversions,
    ...grantKindProviders,
  ],
  // The four-eyes kinds, for the change-requests routes (bonus-grant-change-requests.ts); the issuer, for the
  // grants of entitlement wins (EntitlementsModule).
  exports: [BonusGrantKind, BonusConversionKind, GrantIssuer],
})
export class GrantsModule {}
