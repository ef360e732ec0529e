import fs from 'node:fs';
import path from 'node:path';
import { ensureDatabase } from './database';
import {
  ensureKeycloak,
  keycloakAnswers,
  keycloakDetail,
  keycloakIssuer,
  keycloakStartedBy,
  stopKeycloak,
} from './keycloak-process';
import { ensureKafka, kafkaAddress, kafkaAnswers, kafkaStartedBy, stopKafka } from './kafka-process';
import { acquireLock } from './lock';
import { seconds } from './ports';
import {
  ensurePostgres,
  postgresAddress,
  postgresProblem,
  postgresStartedBy,
  stopPostgres,
} from './postgres';
import { ensureRedis, redisAddress, redisAnswers, redisStartedBy, stopRedis } from './redis';
import { ensureRegistry, registryAnswers, registryStartedBy, stopRegistry } from './registry-process';
import { stackConfig, type StackConfig, type StartedBy } from './stack-config';
import { ensureTopics } from './topics';
import {
  ensureZipkin,
  stopZipkin,
  zipkinAddress,
  zipkinAnswers,
  zipkinDetail,
  zipkinStartedBy,
} from './zipkin-process';

export { StackError } from './errors';

export interface StackOptions {
  /** Receives progress lines; defaults to stdout. */
  readonly log?: (line: string) => void;
}

export type ComponentName = 'kafka' | 'schema-registry' | 'postgres' | 'redis' | 'zipkin' | 'keycloak';

export interface ComponentStatus {
  readonly component: ComponentName;
  readonly address: string;
  readonly answers: boolean;
  /** Undefined when nothing answers and no process of ours runs. */
  readonly startedBy: StartedBy | undefined;
  /** Extra facts worth a glance (Zipkin, Keycloak: start time and RSS of the JVM the project started). */
  readonly detail?: string;
}

const defaultLog = (line: string): void => console.log(line);

// Long enough for a concurrent cold `up` (Maven downloads, two JVM starts) to finish before we give up waiting.
const LOCK_TIMEOUT_MS = 15 * 60_000;

async function withStackLock<T>(
  config: StackConfig,
  log: (line: string) => void,
  work: () => Promise<T>,
): Promise<T> {
  fs.mkdirSync(config.stackDir, { recursive: true });
  const release = await acquireLock(path.join(config.stackDir, 'stack.lock'), LOCK_TIMEOUT_MS, log);
  try {
    return await work();
  } finally {
    release();
  }
}

/** Runs independent chains side by side but reports failure only after all settle, so none is left half-done. */
async function allOrFirstError(tasks: readonly Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(tasks);
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
}

/**
 * Brings up everything the services and tests need and makes sure the database, schemas, topics and registry
 * compatibility exist. Idempotent; when everything already runs it only re-checks (about a second).
 */
export async function stackUp(options: StackOptions = {}): Promise<void> {
  const log = options.log ?? defaultLog;
  const config = stackConfig();
  const started = Date.now();
  await withStackLock(config, log, () =>
    allOrFirstError([
      ensurePostgres(config, log).then(() => ensureDatabase(config, log)),
      ensureRedis(config, log),
      ensureKafka(config, log).then(() => ensureTopics(config, log)),
      ensureRegistry(config, log),
      ensureZipkin(config, log),
      // Side by side with the rest: its ~75 s start hides behind Kafka's and Apicurio's instead of adding to them.
      ensureKeycloak(config, log),
    ]),
  );
  log(`stack: up in ${seconds(Date.now() - started)}`);
}

/** Stops only what the project started (Kafka, Apicurio, and a Postgres/Redis it had to start itself). */
export async function stackDown(options: StackOptions = {}): Promise<void> {
  const log = options.log ?? defaultLog;
  const config = stackConfig();
  await withStackLock(config, log, () =>
    allOrFirstError([
      stopKafka(config, log),
      stopRegistry(config, log),
      stopPostgres(config, log),
      stopRedis(config, log),
      stopZipkin(config, log),
      stopKeycloak(config, log),
    ]),
  );
}

/** What runs where, whether it answers and who started it; never starts or stops anything. */
export async function stackStatus(): Promise<ComponentStatus[]> {
  const config = stackConfig();
  const [kafka, registry, postgres, redis, zipkin, keycloak] = await Promise.all([
    kafkaAnswers(config.kafkaPort),
    registryAnswers(config),
    postgresProblem(config).then((problem) => problem === undefined),
    redisAnswers(config),
    zipkinAnswers(),
    keycloakAnswers(),
  ]);
  // An unanswering component is still "project" when our process runs (e.g. a JVM that is starting).
  const who = (answers: boolean, startedBy: StartedBy): StartedBy | undefined =>
    answers || startedBy === 'project' ? startedBy : undefined;
  return [
    {
      component: 'kafka',
      address: kafkaAddress(config),
      answers: kafka,
      startedBy: who(kafka, kafkaStartedBy(config)),
    },
    {
      component: 'schema-registry',
      address: config.registryUrl,
      answers: registry,
      startedBy: who(registry, registryStartedBy(config)),
    },
    {
      component: 'postgres',
      address: postgresAddress(config),
      answers: postgres,
      startedBy: who(postgres, postgresStartedBy(config)),
    },
    {
      component: 'redis',
      address: redisAddress(config),
      answers: redis,
      startedBy: who(redis, redisStartedBy(config)),
    },
    {
      component: 'zipkin',
      address: zipkinAddress(),
      answers: zipkin,
      startedBy: who(zipkin, zipkinStartedBy(config)),
      detail: zipkinDetail(config),
    },
    {
      component: 'keycloak',
      address: keycloakIssuer(),
      answers: keycloak,
      startedBy: who(keycloak, keycloakStartedBy(config)),
      detail: keycloakDetail(config),
    },
  ];
}

export function formatStatus(status: ComponentStatus): string {
  const state = status.answers ? 'answers' : 'DOWN';
  const who = status.startedBy === undefined ? '-' : `started by ${status.startedBy}`;
  const detail = status.detail === undefined ? '' : ` (${status.detail})`;
  return `${status.component.padEnd(16)} ${status.address.padEnd(44)} ${state.padEnd(8)} ${who}${detail}`;
}
