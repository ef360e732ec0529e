import { envInt, envList, envString } from './env';

type Env = Readonly<Record<string, string | undefined>>;

/** Where the shared infrastructure is. Defaults match `npm run stack:up` on one machine. */
export interface InfrastructureConfig {
  /** Postgres connection string; each service works in its own schema of this database. */
  readonly databaseUrl: string;
  readonly kafkaBrokers: string[];
  readonly kafkaClientId: string;
  /** Prepended to every topic and registry subject (tests and shared clusters use it to stay apart). */
  readonly topicPrefix: string;
  /** Confluent-compatible schema registry API base URL. */
  readonly schemaRegistryUrl: string;
  readonly redisUrl: string;
  /** Tenant-independent deployment region written into every event envelope. */
  readonly region: string;
}

export function infrastructureConfig(env: Env = process.env): InfrastructureConfig {
  return {
    databaseUrl: envString('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/pitboss', env),
    kafkaBrokers: envList('KAFKA_BROKERS', [`127.0.0.1:${envInt('KAFKA_PORT', 9092, env)}`], env),
    kafkaClientId: envString('KAFKA_CLIENT_ID', 'pitboss', env),
    topicPrefix: envString('KAFKA_TOPIC_PREFIX', '', env),
    schemaRegistryUrl: envString(
      'SCHEMA_REGISTRY_URL',
      `http://127.0.0.1:${envInt('SCHEMA_REGISTRY_PORT', 8081, env)}/apis/ccompat/v7`,
      env,
    ),
    redisUrl: envString('REDIS_URL', 'redis://127.0.0.1:6379', env),
    region: envString('PITBOSS_REGION', 'local', env),
  };
}

/** Postgres schema a service owns: `bet-gateway` → `bet_gateway`, overridable with `DATABASE_SCHEMA`. */
export function serviceSchema(serviceName: string, env: Env = process.env): string {
  return envString('DATABASE_SCHEMA', serviceName.replace(/-/g, '_'), env);
}

/** Every service that owns a Postgres schema with an event store and outbox. */
export const SERVICES_WITH_EVENT_STORE = [
  'bet-gateway',
  'settle-worker',
  'bonus-grant',
  'wagering-progress',
  'reconciliation',
] as const;
