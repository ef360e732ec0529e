import path from 'node:path';
import { envInt, envString, infrastructureConfig } from '@pitboss/platform-config';

type Env = Readonly<Record<string, string | undefined>>;

/** Everything the stack manager needs to know, read once from the environment. */
export interface StackConfig {
  /** Git-ignored cache: downloaded distributions, data, logs, pid and marker files. */
  readonly stackDir: string;
  readonly kafkaPort: number;
  readonly kafkaControllerPort: number;
  readonly registryPort: number;
  readonly registryUrl: string;
  /** Connection string of the application database (`pitboss` by default). */
  readonly databaseUrl: string;
  readonly postgresHost: string;
  readonly postgresPort: number;
  readonly redisHost: string;
  readonly redisPort: number;
  readonly topicPrefix: string;
  readonly topicPartitions: number;
  /** How long `up` waits for each component to answer. */
  readonly startTimeoutMs: number;
}

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLocalHost(host: string): boolean {
  return LOCAL_HOSTS.has(host);
}

export function stackConfig(env: Env = process.env): StackConfig {
  const infra = infrastructureConfig(env);
  const kafkaPort = envInt('KAFKA_PORT', 9092, env);
  const registryPort = envInt('SCHEMA_REGISTRY_PORT', 8081, env);

  // infrastructureConfig() reads only the URLs; PGPORT / REDIS_PORT move the default URL when no URL is given,
  // so `PGPORT=15432 npm run stack:up` works without spelling out a whole DATABASE_URL.
  const database = new URL(infra.databaseUrl);
  if (!env['DATABASE_URL'] && env['PGPORT']) database.port = String(envInt('PGPORT', 5432, env));
  const redis = new URL(infra.redisUrl);
  if (!env['REDIS_URL'] && env['REDIS_PORT']) redis.port = String(envInt('REDIS_PORT', 6379, env));

  return {
    stackDir: path.resolve(envString('STACK_DIR', path.join(REPO_ROOT, '.stack'), env)),
    kafkaPort,
    kafkaControllerPort: envInt('KAFKA_CONTROLLER_PORT', 9093, env),
    registryPort,
    registryUrl: `http://127.0.0.1:${registryPort}/apis/ccompat/v7`,
    databaseUrl: database.toString(),
    postgresHost: database.hostname || '127.0.0.1',
    postgresPort: Number(database.port || 5432),
    redisHost: redis.hostname || '127.0.0.1',
    redisPort: Number(redis.port || 6379),
    topicPrefix: infra.topicPrefix,
    topicPartitions: envInt('KAFKA_TOPIC_PARTITIONS', 6, env),
    startTimeoutMs: envInt('STACK_START_TIMEOUT_S', 90, env) * 1000,
  };
}

/** Who runs a component: the project (we started it and `down` stops it) or the machine (never touched). */
export type StartedBy = 'project' | 'machine';
