import { Injectable } from '@nestjs/common';

import { type DeadLetterSize, DeadLetterSizes } from './dead-letters/dead-letter-sizes.service';
import { RoundEventsConsumer } from './rounds/round-events.consumer';
import { rtpVersusCorridors, type RtpVersusCorridor } from './rtp-corridor';
import { type RoundFigures, RoundWindow } from './rounds/round-window';
import { MetricsScraper } from './scrape/metrics-scraper.service';
import { type ScrapeFigures } from './scrape/scrape-figures';

/** What `/stream` sends each second: everything the page shows, as plain JSON. */
export interface NocSnapshot {
  readonly at: number;
  /** False until the consumer group has joined: the round figures are then still empty, not zero. */
  readonly consuming: boolean;
  readonly rounds: RoundFigures;
  /** The rounds' RTP per game and currency next to the certified corridor scraped from the gateway. */
  readonly rtp: readonly RtpVersusCorridor[];
  readonly scraped: ScrapeFigures;
  readonly deadLetters: readonly DeadLetterSize[];
}

@Injectable()
export class NocSnapshots {
  constructor(
    private readonly window: RoundWindow,
    private readonly consumer: RoundEventsConsumer,
    private readonly scraper: MetricsScraper,
    private readonly deadLetters: DeadLetterSizes,
  ) {}

  current(now = Date.now()): NocSnapshot {
    const rounds = this.window.snapshot(now);
    const scraped = this.scraper.figures();
    return {
      at: now,
      consuming: this.consumer.consuming,
      rounds,
      rtp: rtpVersusCorridors(rounds.rtp, scraped.corridors),
      scraped,
      deadLetters: this.deadLetters.current(),
    };
  }
}
