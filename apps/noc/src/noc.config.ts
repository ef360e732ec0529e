import { ConfigError, envInt, envList, envString } from '@pitboss/platform-config';

type Env = Readonly<Record<string, string | undefined>>;

export interface ScrapeTarget {
  /** The service's name as the page shows it (`bet-gateway`). */
  readonly name: string;
  /** Its base URL, as configured. */
  readonly url: string;
  /**
   * What the NOC GETs: `<url>/metrics` for a service's own address, or the URL itself when it has a path or a
   * query, e.g. Prometheus's `/federate?match[]=…`, which in a cluster sums every replica of a service.
   */
  readonly metricsUrl: string;
}

export interface NocConfig {
  readonly scrapeTargets: readonly ScrapeTarget[];
  readonly scrapeIntervalMs: number;
  readonly scrapeTimeoutMs: number;
  /** How far back the figures look. */
  readonly windowMs: number;
  /** Resolution of the bets/min series. */
  readonly bucketMs: number;
  /** How often the page gets a new snapshot over `/stream`. */
  readonly pushIntervalMs: number;
  /** The NOC's consumer group on the round and settlement topics. */
  readonly consumerGroup: string;
  readonly maxOpenBets: number;
}

/** The services of the local fleet on their default ports (docs/configuration.md). */
export const DEFAULT_SCRAPE_TARGETS = [
  'bet-gateway=http://127.0.0.1:3000',
  'settle-worker=http://127.0.0.1:3001',
  'bonus-grant=http://127.0.0.1:3002',
  'wagering-progress=http://127.0.0.1:3003',
  'reconciliation=http://127.0.0.1:3004',
  'outbox-relay=http://127.0.0.1:3005',
];

/** The NOC's environment, with the defaults documented in docs/configuration.md. */
export function nocConfig(env: Env = process.env): NocConfig {
  const windowMs = envInt('NOC_WINDOW_MS', 600_000, env);
  const bucketMs = envInt('NOC_BUCKET_MS', 5_000, env);
  if (bucketMs <= 0 || windowMs < bucketMs) {
    throw new ConfigError(`NOC_WINDOW_MS (${windowMs}) must be at least NOC_BUCKET_MS (${bucketMs}) > 0`);
  }
  return {
    scrapeTargets: scrapeTargetsOf(envList('NOC_SCRAPE_TARGETS', DEFAULT_SCRAPE_TARGETS, env)),
    scrapeIntervalMs: positive('NOC_SCRAPE_INTERVAL_MS', envInt('NOC_SCRAPE_INTERVAL_MS', 2_000, env)),
    scrapeTimeoutMs: positive('NOC_SCRAPE_TIMEOUT_MS', envInt('NOC_SCRAPE_TIMEOUT_MS', 1_500, env)),
    windowMs,
    bucketMs,
    pushIntervalMs: positive('NOC_PUSH_INTERVAL_MS', envInt('NOC_PUSH_INTERVAL_MS', 1_000, env)),
    consumerGroup: envString('NOC_CONSUMER_GROUP', 'noc', env),
    maxOpenBets: positive('NOC_MAX_OPEN_BETS', envInt('NOC_MAX_OPEN_BETS', 200_000, env)),
  };
}

/** `name=http://host:port,…` → targets; a bad entry stops the start with its reason. */
export function scrapeTargetsOf(entries: readonly string[]): ScrapeTarget[] {
  const targets = entries.map((entry) => {
    const at = entry.indexOf('=');
    const name = entry.slice(0, at).trim();
    const url = entry
      .slice(at + 1)
      .trim()
      .replace(/\/+$/, '');
    if (at <= 0 || !/^https?:\/\/[^/]+/.test(url)) {
      throw new ConfigError(`NOC_SCRAPE_TARGETS: "${entry}" is not name=http(s)://host:port`);
    }
    return { name, url, metricsUrl: metricsUrlOf(url) };
  });
  const names = targets.map((target) => target.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) throw new ConfigError(`NOC_SCRAPE_TARGETS names ${repeated} twice`);
  return targets;
}

function positive(name: string, value: number): number {
  if (value <= 0) throw new ConfigError(`${name} must be positive, got ${value}`);
  return value;
}

export const NOC_CONFIG = Symbol('NOC_CONFIG');

function metricsUrlOf(url: string): string {
  const { pathname, search } = new URL(url);
  return pathname === '/' && search === '' ? `${url}/metrics` : url;
}
