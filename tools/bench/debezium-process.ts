import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

import { Client } from 'pg';

import { expectEventually } from '@pitboss/testing';

import { ensureMavenClasspath } from '../stack/src/maven-artifacts';
import { requireJava } from '../stack/src/toolchain';

const POM = resolve(__dirname, 'debezium', 'pom.xml');
const PROGRAM = resolve(__dirname, 'debezium', 'OutboxDebezium.java');

export interface DebeziumSettings {
  readonly databaseUrl: string;
  readonly schema: string;
  /** Replication slot and publication name (one per run, dropped at the end). */
  readonly slot: string;
  readonly kafkaBrokers: readonly string[];
  /** The registry's Confluent-compatible API (the one our codec uses). */
  readonly registryUrl: string;
  readonly topicPrefix: string;
  /** Where the file offset store lives (the bench's scratch dir). */
  readonly stateDir: string;
  /** Debezium's `poll.interval.ms`: how long its queue waits for more changes before handing a batch over. */
  readonly pollMs: number;
  readonly maxBatch: number;
}

export interface DebeziumProcess {
  readonly child: ChildProcess;
  readonly output: string[];
  /** Spawn → the connector's slot active (the walsender streaming to it): the JVM's whole start. */
  readonly startMs: number;
  /** Stops the JVM, keeping the slot and the offsets: a later start with the same settings resumes. */
  pause(): Promise<void>;
  /** Stops the JVM, drops the slot and the publication, removes the offsets. */
  stop(): Promise<void>;
}

/** The program's environment (OutboxDebezium.java reads DBZ_*): pure, unit-tested. */
export function debeziumEnv(settings: DebeziumSettings): Record<string, string> {
  const url = new URL(settings.databaseUrl);
  return {
    DBZ_PG_HOST: url.hostname,
    DBZ_PG_PORT: url.port || '5432',
    DBZ_PG_USER: decodeURIComponent(url.username) || 'postgres',
    ...(url.password ? { DBZ_PG_PASSWORD: decodeURIComponent(url.password) } : {}),
    DBZ_PG_DATABASE: url.pathname.replace(/^\//, ''),
    DBZ_SCHEMA: settings.schema,
    DBZ_SLOT: settings.slot,
    DBZ_KAFKA_BROKERS: settings.kafkaBrokers.join(','),
    DBZ_REGISTRY_URL: settings.registryUrl,
    DBZ_TOPIC_PREFIX: settings.topicPrefix,
    DBZ_STATE_DIR: settings.stateDir,
    DBZ_POLL_MS: String(settings.pollMs),
    DBZ_MAX_BATCH: String(settings.maxBatch),
  };
}

/** Fetches the pinned jars once (cached in `<stackDir>/bench-relay/debezium-jars`); returns the classpath. */
export async function debeziumClasspath(stackDir: string, log: (line: string) => void): Promise<string> {
  const jars = await ensureMavenClasspath(
    join(stackDir, 'bench-relay', 'debezium-jars'),
    POM,
    'debezium',
    log,
  );
  return jars.join(delimiter);
}

/**
 * `java -cp <jars> OutboxDebezium.java` (a single-file program) with the connector pointed at one schema's
 * outbox; resolves once its replication slot is active, so a commit from then on is streamed. With the offsets
 * of an earlier start in `stateDir` (and its slot), it resumes where that one stopped.
 */
export async function startDebezium(
  settings: DebeziumSettings,
  classpath: string,
  timeoutMs: number,
): Promise<DebeziumProcess> {
  const java = await requireJava();
  mkdirSync(settings.stateDir, { recursive: true });
  const startedAt = Date.now();
  // Serial GC and a small heap, as the stack's other JVMs: one core for the JVM would otherwise go to GC threads.
  const child = spawn(java, ['-Xms64m', '-Xmx512m', '-XX:+UseSerialGC', '-cp', classpath, PROGRAM], {
    env: { ...process.env, ...debeziumEnv(settings) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  // The engine commits its offsets on SIGTERM (its shutdown hook); the slot keeps the WAL from there on.
  const pause = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    // Until its WAL sender has gone, the slot still reads active: a restart must not take that for its own.
    await waitForSlot(settings, false, child, [], 30_000).catch(() => undefined);
  };
  const stop = async () => {
    await pause();
    await dropSlot(settings).catch(() => undefined);
    rmSync(settings.stateDir, { recursive: true, force: true });
  };
  try {
    await waitForSlot(settings, true, child, output, timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { child, output, startMs: Date.now() - startedAt, pause, stop };
}

async function waitForSlot(
  settings: DebeziumSettings,
  active: boolean,
  child: ChildProcess,
  output: readonly string[],
  timeoutMs: number,
): Promise<void> {
  const db = new Client({ connectionString: settings.databaseUrl });
  db.on('error', () => undefined); // the server stopping under an abort fails the next query instead
  await db.connect();
  try {
    await expectEventually(
      async () => {
        if (active && child.exitCode !== null)
          throw new Error(`debezium exited:\n${output.slice(-40).join('\n')}`);
        const slot = await db.query<{ active: boolean }>(
          'SELECT active FROM pg_replication_slots WHERE slot_name = $1',
          [settings.slot],
        );
        if ((slot.rows[0]?.active === true) !== active)
          throw new Error(
            `slot ${settings.slot} not ${active ? 'active' : 'released'} yet:\n${output.slice(-40).join('\n')}`,
          );
      },
      { timeoutMs, intervalMs: 50 },
    );
  } finally {
    await db.end();
  }
}

/** An abandoned slot would hold WAL forever; the publication goes with it. */
async function dropSlot(settings: DebeziumSettings): Promise<void> {
  const db = new Client({ connectionString: settings.databaseUrl });
  db.on('error', () => undefined); // the server stopping under an abort fails the next query instead
  await db.connect();
  try {
    await db.query(
      'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active',
      [settings.slot],
    );
    await db.query(`DROP PUBLICATION IF EXISTS ${settings.slot}`);
  } finally {
    await db.end();
  }
}
