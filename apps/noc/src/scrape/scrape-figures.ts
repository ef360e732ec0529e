import { histogramQuantile } from './histogram-quantile';
import { bucketBound, type Sample } from './prometheus-text';
import { increases, samplesOf, type Scrape, sumBy } from './scrape-history';

/** What the NOC knows of a scrape target: up when its last scrape answered 200 with a readable body. */
export interface TargetStatus {
  readonly target: string;
  readonly url: string;
  readonly up: boolean;
  readonly lastScrapeAt: number | null;
  readonly error: string | null;
}

export interface WalletHealth {
  readonly service: string;
  /** p95 of wallet call latency within the window, seconds; null without calls. */
  readonly p95Seconds: number | null;
  readonly calls: number;
  /** Calls whose outcome was unknown (timeouts, 5xx, connection errors): the wallet's errors. */
  readonly uncertain: number;
  /** Definitive refusals (insufficient funds, …): business answers, not wallet errors. */
  readonly rejected: number;
  readonly circuit: string | null;
}

export interface RtpCorridor {
  readonly tenant: string;
  readonly game: string;
  readonly mathVersion: string;
  readonly certified: number;
  readonly min: number;
  readonly max: number;
}

export interface ScrapeFigures {
  readonly targets: readonly TargetStatus[];
  /** p95 of the settle lag (settlement.requested → credit confirmed) within the window, seconds. */
  readonly settleLagP95Seconds: number | null;
  readonly settlements: number;
  readonly wallet: readonly WalletHealth[];
  readonly consumerLag: ReadonlyArray<{ service: string; topic: string; messages: number }>;
  readonly deadLettered: ReadonlyArray<{ service: string; topic: string; messages: number }>;
  readonly outboxLag: ReadonlyArray<{ source: string; seconds: number; active: boolean }>;
  readonly degraded: {
    readonly noNewSessions: boolean;
    readonly sources: readonly string[];
    readonly backlog: ReadonlyArray<{ tenant: string; settlements: number }>;
    /** False when no gateway answered: the mode is unknown, not "normal". */
    readonly known: boolean;
  };
  readonly corridors: readonly RtpCorridor[];
  readonly apiErrors: ReadonlyArray<{ code: string; count: number }>;
}

/** The settle lag histogram: the business-metrics name first, the older one while it is still served. */
const SETTLE_LAG_HISTOGRAMS = ['bet_settle_lag_seconds', 'settle_lag_seconds'];

/**
 * The figures of every target from its newest scrape (gauges) and its newest against its oldest scrape in the
 * window (counters and histograms). Pure: the scraper keeps the scrapes, this reads them. Metrics a service
 * does not serve (yet) leave their figure empty instead of failing.
 */
export function scrapeFigures(
  targets: readonly TargetStatus[],
  newestOf: (target: string) => Scrape | undefined,
  oldestOf: (target: string) => Scrape | undefined,
): ScrapeFigures {
  const scraped = targets.flatMap((status) => {
    const newest = newestOf(status.target);
    return newest === undefined ? [] : [{ service: status.target, newest, oldest: oldestOf(status.target) }];
  });
  const settleLag = windowedHistogram(
    scraped.map((s) => ({ newest: s.newest.samples, oldest: s.oldest?.samples })),
    SETTLE_LAG_HISTOGRAMS,
  );
  return {
    targets,
    settleLagP95Seconds: settleLag === null ? null : histogramQuantile(0.95, settleLag.buckets),
    settlements: settleLag?.count ?? 0,
    wallet: scraped.flatMap((s) => walletHealthOf(s.service, s.newest.samples, s.oldest?.samples)),
    consumerLag: scraped.flatMap((s) =>
      [...sumBy(valuesOf(s.newest.samples, 'kafka_consumer_lag_messages'), 'topic')].map(
        ([topic, messages]) => ({
          service: s.service,
          topic,
          messages,
        }),
      ),
    ),
    deadLettered: scraped.flatMap((s) =>
      [
        ...sumBy(
          increases(s.newest.samples, s.oldest?.samples, 'kafka_consumer_messages_total', {
            outcome: 'dead_lettered',
          }).map(({ labels, increase }) => ({ labels, value: increase })),
          'topic',
        ),
      ].map(([topic, messages]) => ({ service: s.service, topic, messages })),
    ),
    outboxLag: scraped.flatMap((s) => {
      const active = sumBy(valuesOf(s.newest.samples, 'outbox_relay_active'), 'source');
      return valuesOf(s.newest.samples, 'outbox_lag_seconds').map(({ labels, value }) => ({
        source: labels['source'] ?? '',
        seconds: value,
        active: (active.get(labels['source'] ?? '') ?? 0) > 0,
      }));
    }),
    degraded: degradedModeOf(scraped.map((s) => s.newest.samples)),
    corridors: corridorsOf(scraped.map((s) => s.newest.samples)),
    apiErrors: topCounts(
      scraped.flatMap((s) =>
        increases(s.newest.samples, s.oldest?.samples, 'api_errors_total').map(({ labels, increase }) => ({
          labels,
          value: increase,
        })),
      ),
      'code',
    ),
  };
}

function valuesOf(samples: readonly Sample[], name: string, match: Record<string, string> = {}) {
  return samplesOf(samples, name, match).map(({ labels, value }) => ({ labels, value }));
}

interface WindowEnds {
  readonly newest: readonly Sample[];
  readonly oldest: readonly Sample[] | undefined;
}

/** The window's observations of the first histogram name any target serves, summed over targets and labels. */
function windowedHistogram(
  scraped: readonly WindowEnds[],
  names: readonly string[],
): { buckets: Array<{ le: number; count: number }>; count: number } | null {
  for (const name of names) {
    const rows = scraped.flatMap((s) =>
      increases(s.newest, s.oldest, `${name}_bucket`).map(({ labels, increase }) => ({
        le: bucketBound(labels),
        increase,
      })),
    );
    if (rows.length === 0) continue;
    const byBound = new Map<number, number>();
    for (const { le, increase } of rows) byBound.set(le, (byBound.get(le) ?? 0) + increase);
    const buckets = [...byBound].map(([le, count]) => ({ le, count }));
    return { buckets, count: byBound.get(Number.POSITIVE_INFINITY) ?? 0 };
  }
  return null;
}

function walletHealthOf(
  service: string,
  newest: readonly Sample[],
  oldest: readonly Sample[] | undefined,
): WalletHealth[] {
  const circuit = samplesOf(newest, 'wallet_circuit_state').find((sample) => sample.value === 1);
  if (samplesOf(newest, 'wallet_call_seconds_count').length === 0 && circuit === undefined) return [];
  const latency = windowedHistogram([{ newest, oldest }], ['wallet_call_seconds']);
  const callsBy = sumBy(
    increases(newest, oldest, 'wallet_call_seconds_count').map(({ labels, increase }) => ({
      labels,
      value: increase,
    })),
    'outcome',
  );
  return [
    {
      service,
      p95Seconds: latency === null ? null : histogramQuantile(0.95, latency.buckets),
      calls: [...callsBy.values()].reduce((sum, n) => sum + n, 0),
      uncertain: callsBy.get('uncertain') ?? 0,
      rejected: callsBy.get('rejected') ?? 0,
      circuit: circuit?.labels['state'] ?? null,
    },
  ];
}

function degradedModeOf(scrapes: ReadonlyArray<readonly Sample[]>): ScrapeFigures['degraded'] {
  const mode = scrapes.flatMap((samples) => samplesOf(samples, 'gateway_no_new_sessions'));
  const sources = [...new Set(mode.filter((s) => s.value > 0).map((s) => s.labels['source'] ?? ''))].sort();
  const backlog = sumBy(
    scrapes.flatMap((samples) => valuesOf(samples, 'gateway_settlement_backlog')),
    'tenant',
  );
  return {
    noNewSessions: sources.length > 0,
    sources,
    backlog: [...backlog].map(([tenant, settlements]) => ({ tenant, settlements })),
    known: mode.length > 0,
  };
}

function corridorsOf(scrapes: ReadonlyArray<readonly Sample[]>): RtpCorridor[] {
  const corridors = new Map<string, RtpCorridor>();
  for (const samples of scrapes) {
    for (const certified of samplesOf(samples, 'game_certified_rtp_ratio')) {
      const { tenant = '', game = '', math_version: mathVersion = '' } = certified.labels;
      const bound = (name: string) =>
        samplesOf(samples, name, { tenant, game, math_version: mathVersion })[0]?.value ?? Number.NaN;
      // Several gateway replicas serve the same configs: one row per (tenant, game, math version).
      corridors.set(`${tenant}\u0000${game}\u0000${mathVersion}`, {
        tenant,
        game,
        mathVersion,
        certified: certified.value,
        min: bound('game_rtp_corridor_min_ratio'),
        max: bound('game_rtp_corridor_max_ratio'),
      });
    }
  }
  return [...corridors.values()].sort(
    (a, b) => a.game.localeCompare(b.game) || a.tenant.localeCompare(b.tenant),
  );
}

function topCounts(
  rows: ReadonlyArray<{ labels: Readonly<Record<string, string>>; value: number }>,
  label: string,
  limit = 8,
): Array<{ code: string; count: number }> {
  return [...sumBy(rows, label)]
    .filter(([, count]) => count > 0)
    .map(([code, count]) => ({ code, count }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
    .slice(0, limit);
}
