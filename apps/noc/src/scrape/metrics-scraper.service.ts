import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';

import { NOC_CONFIG, type NocConfig, type ScrapeTarget } from '../noc.config';
import { parsePrometheusText } from './prometheus-text';
import { ScrapeHistory } from './scrape-history';
import { scrapeFigures, type ScrapeFigures, type TargetStatus } from './scrape-figures';

/**
 * GETs every target's `/metrics` each `NOC_SCRAPE_INTERVAL_MS` (all at once, each with its own timeout) and keeps
 * the window's scrapes. A target that does not answer is shown down; its last figures age out with the window.
 */
@Injectable()
export class MetricsScraper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsScraper.name);
  private readonly history: ScrapeHistory;
  private readonly status = new Map<string, TargetStatus>();
  /** Targets whose unreadable lines were logged: once per target, not on every scrape. */
  private readonly warnedUnreadable = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(@Inject(NOC_CONFIG) private readonly config: NocConfig) {
    this.history = new ScrapeHistory(config.windowMs);
    for (const { name, url } of config.scrapeTargets)
      this.status.set(name, { target: name, url, up: false, lastScrapeAt: null, error: 'not scraped yet' });
  }

  onApplicationBootstrap(): void {
    const tick = () => {
      this.running = this.scrapeAll().finally(() => {
        this.running = undefined;
        this.timer = setTimeout(tick, this.config.scrapeIntervalMs);
      });
    };
    tick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    await this.running;
    clearTimeout(this.timer);
  }

  figures(): ScrapeFigures {
    return scrapeFigures(
      [...this.status.values()],
      // A target that stopped answering shows no figures rather than its last ones, however old.
      (target) => (this.status.get(target)?.up ? this.history.latest(target) : undefined),
      (target) => this.history.oldest(target),
    );
  }

  private async scrapeAll(): Promise<void> {
    await Promise.all(this.config.scrapeTargets.map((target) => this.scrape(target)));
  }

  private async scrape({ name, url, metricsUrl }: ScrapeTarget): Promise<void> {
    const at = Date.now();
    try {
      const response = await fetch(metricsUrl, {
        signal: AbortSignal.timeout(this.config.scrapeTimeoutMs),
      });
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      const { samples, unreadable } = parsePrometheusText(await response.text());
      if (unreadable.length > 0 && !this.warnedUnreadable.has(name)) {
        this.warnedUnreadable.add(name);
        this.logger.warn(
          `${name}: ${unreadable.length} unreadable /metrics lines, e.g. ${unreadable[0]?.text}`,
        );
      }
      this.history.add({ target: name, at, samples });
      this.status.set(name, { target: name, url, up: true, lastScrapeAt: at, error: null });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const previous = this.status.get(name);
      if (previous?.up) this.logger.warn(`${name}: /metrics scrape failed: ${reason}`);
      this.status.set(name, {
        target: name,
        url,
        up: false,
        lastScrapeAt: previous?.lastScrapeAt ?? null,
        error: reason,
      });
    }
  }
}
