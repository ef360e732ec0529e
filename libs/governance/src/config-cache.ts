import { Client, type Pool } from 'pg';

import { configChannelOf, type ConfigVersion, PostgresVersionedConfig } from './versioned-config';

export interface ConfigCacheOptions {
  readonly databaseUrl: string;
  readonly schema: string;
  readonly namespace: string;
  /** The fallback poll while notifications are missed (connection lost, a NOTIFY dropped): `CONFIG_POLL_MS`. */
  readonly pollMs: number;
  /** Which keys this replica keeps (e.g. its own region's). */
  readonly keep?: (version: ConfigVersion) => boolean;
  readonly onError?: (error: unknown) => void;
  readonly onChange?: (version: ConfigVersion) => void;
}

/**
 * The current version of every key of one namespace, in memory: reads (the bet path) never query. Kept fresh by
 * LISTEN on the schema's config channel (a version is announced when its transaction commits) and, as a
 * fallback, by polling for versions newer than the newest one seen. Versions only move forward (by `seq`).
 */
export class ConfigCache<TDocument> {
  private readonly current = new Map<string, ConfigVersion<TDocument>>();
  private lastSeq = 0;
  private listener: Client | undefined;
  private poller: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly store: PostgresVersionedConfig;

  constructor(
    private readonly pool: Pool,
    private readonly options: ConfigCacheOptions,
  ) {
    this.store = new PostgresVersionedConfig(options.schema);
  }

  async start(): Promise<void> {
    await this.listen().catch((error) => this.options.onError?.(error));
    await this.refresh();
    this.poller = setInterval(() => void this.refresh(), this.options.pollMs);
    this.poller.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poller) clearInterval(this.poller);
    await this.listener?.end().catch(() => undefined);
    await this.refreshing;
  }

  get(tenantId: string, key: string): ConfigVersion<TDocument> | undefined {
    return this.current.get(`${tenantId}\u0000${key}`);
  }

  /** Every key's current version (e.g. for gauges sampled on a scrape). */
  all(): ConfigVersion<TDocument>[] {
    return [...this.current.values()];
  }

  /** Applies versions newer than the newest seen; concurrent calls coalesce into one more round. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        try {
          for (const version of await this.store.since(this.pool, this.lastSeq, this.options.namespace)) {
            this.lastSeq = Math.max(this.lastSeq, version.seq);
            if (this.options.keep && !this.options.keep(version)) continue;
            const id = `${version.tenantId}\u0000${version.key}`;
            const known = this.current.get(id);
            if (known === undefined || known.version < version.version) {
              this.current.set(id, version as ConfigVersion<TDocument>);
              this.options.onChange?.(version);
            }
          }
        } catch (error) {
          this.options.onError?.(error);
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.options.databaseUrl,
      application_name: 'config-listener',
    });
    client.on('notification', () => void this.refresh());
    client.on('error', (error) => {
      this.options.onError?.(error);
      this.listener = undefined;
      client.end().catch(() => undefined);
      // Reconnect after a pause; the poll covers the gap, and a refresh after reconnecting catches up.
      setTimeout(
        () =>
          void this.listen()
            .then(() => this.refresh())
            .catch((e) => this.options.onError?.(e)),
        1_000,
      ).unref();
    });
    await client.connect();
    await client.query(`LISTEN "${configChannelOf(this.options.schema)}"`);
    this.listener = client;
  }
}
