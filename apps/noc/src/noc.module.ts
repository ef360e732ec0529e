import { Module } from '@nestjs/common';

import { MessagingModule } from '@pitboss/messaging';
import { ObservabilityModule } from '@pitboss/observability';

import { DeadLetterSizes } from './dead-letters/dead-letter-sizes.service';
import { NocPageController } from './http/noc-page.controller';
import { NOC_CONFIG, type NocConfig, nocConfig } from './noc.config';
import { NocSnapshots } from './noc-snapshot';
import { RoundEventsConsumer } from './rounds/round-events.consumer';
import { RoundWindow } from './rounds/round-window';
import { MetricsScraper } from './scrape/metrics-scraper.service';

const serviceName = 'noc';

/**
 * The NOC: read-only. It consumes the round and settlement topics (its own group), scrapes the services'
 * `/metrics` and reads the dead-letter topics' offsets; it calls no service's API and has no database.
 */
@Module({
  imports: [ObservabilityModule.forRoot({ serviceName }), MessagingModule.forRoot({ serviceName })],
  controllers: [NocPageController],
  providers: [
    { provide: NOC_CONFIG, useFactory: () => nocConfig() },
    {
      provide: RoundWindow,
      inject: [NOC_CONFIG],
      useFactory: (config: NocConfig) =>
        new RoundWindow({
          windowMs: config.windowMs,
          bucketMs: config.bucketMs,
          maxOpenBets: config.maxOpenBets,
        }),
    },
    RoundEventsConsumer,
    MetricsScraper,
    DeadLetterSizes,
    NocSnapshots,
  ],
})
export class NocModule {}
