import {
  envInt,
  envList,
  envString,
  infrastructureConfig,
  serviceSchema,
  SERVICES_WITH_EVENT_STORE,
} from '@pitboss/platform-config';
import { type RelayOptions, type RelaySource } from '@pitboss/event-store';

type Env = Readonly<Record<string, string | undefined>>;

export interface RelayConfig {
  readonly sources: readonly RelaySource[];
  readonly options: RelayOptions;
  /** Register the topic schemas at start (local stacks); deployments register them from CI instead. */
  readonly registerSchemasOnStart: boolean;
}

export function relayConfig(env: Env = process.env): RelayConfig {
  const databaseUrl = envString('RELAY_DATABASE_URL', infrastructureConfig(env).databaseUrl, env);
  // Each service's own default schema: DATABASE_SCHEMA, if set for the relay, must not rename them all.
  const defaultSchemas = SERVICES_WITH_EVENT_STORE.map((service) => serviceSchema(service, {}));
  return {
    sources: envList('RELAY_SOURCES', defaultSchemas, env).map((schema) => ({ schema, databaseUrl })),
    options: {
      batchSize: envInt('RELAY_BATCH_SIZE', 500, env),
      pollIntervalMs: envInt('RELAY_POLL_INTERVAL_MS', 10, env),
      idlePollIntervalMs: envInt('RELAY_IDLE_POLL_INTERVAL_MS', 100, env),
      idleAfterMs: envInt('RELAY_IDLE_AFTER_MS', 1_000, env),
      standbyRetryMs: envInt('RELAY_STANDBY_RETRY_MS', 1_000, env),
      maxBackoffMs: envInt('RELAY_MAX_BACKOFF_MS', 5_000, env),
    },
    registerSchemasOnStart: envString('SCHEMA_REGISTER_ON_START', 'true', env) === 'true',
  };
}
