import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { StackError } from './errors';
import { ensureKafkaLibs } from './maven-artifacts';
import { isPortOpen, seconds, waitUntil } from './ports';
import { runCommand, runningPid, spawnDetached, stopProcess } from './processes';
import type { StackConfig, StartedBy } from './stack-config';
import { requireJava } from './toolchain';

/** Substring of the broker's command line; identifies our JVM behind a pid file. */
const MARKER = 'kafka.Kafka';

interface KafkaPaths {
  readonly dir: string;
  readonly data: string;
  readonly logs: string;
  readonly properties: string;
  readonly log4j: string;
  readonly pidFile: string;
}

function kafkaPaths(config: StackConfig): KafkaPaths {
  const dir = path.join(config.stackDir, 'kafka');
  return {
    dir,
    data: path.join(dir, 'data'),
    logs: path.join(dir, 'logs'),
    properties: path.join(dir, 'server.properties'),
    log4j: path.join(dir, 'log4j.properties'),
    pidFile: path.join(dir, 'kafka.pid'),
  };
}

export function kafkaAddress(config: StackConfig): string {
  return `127.0.0.1:${config.kafkaPort}`;
}

/** A real Kafka protocol round trip: an open port alone could be anything. */
export async function kafkaAnswers(port: number): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'pitboss-stack-probe',
    brokers: [`127.0.0.1:${port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export function kafkaStartedBy(config: StackConfig): StartedBy {
  return runningPid(kafkaPaths(config).pidFile, MARKER) === undefined ? 'machine' : 'project';
}

/** Single-node KRaft: one JVM is both broker and controller; ports follow the env on every start. */
function writeConfig(config: StackConfig, paths: KafkaPaths): void {
  const { kafkaPort: port, kafkaControllerPort: controller } = config;
  const properties = [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controller}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controller}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${paths.data}`,
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    // Topics are declared in @pitboss/contracts and created by the stack; a typo must fail, not create a topic.
    'auto.create.topics.enable=false',
    `num.partitions=${config.topicPartitions}`,
  ];
  fs.writeFileSync(paths.properties, `${properties.join('\n')}\n`);
  const log4j = [
    'log4j.rootLogger=INFO, file',
    'log4j.appender.file=org.apache.log4j.RollingFileAppender',
    `log4j.appender.file.File=${path.join(paths.logs, 'server.log')}`,
    'log4j.appender.file.MaxFileSize=20MB',
    'log4j.appender.file.MaxBackupIndex=2',
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.org.apache.kafka.clients=WARN',
  ];
  fs.writeFileSync(paths.log4j, `${log4j.join('\n')}\n`);
}

/**
 * Kafka's cluster id format (Uuid.randomUuid): 16 random bytes, base64url without padding, never starting with
 * '-' (it would parse as a CLI flag). Generated here to spare a JVM start of `StorageTool random-uuid`.
 */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

async function formatStorageOnce(java: string, libs: string, paths: KafkaPaths): Promise<void> {
  if (fs.existsSync(path.join(paths.data, 'meta.properties'))) return;
  const logFile = path.join(paths.logs, 'format.log');
  const result = await runCommand(
    java,
    [
      `-Dlog4j.configuration=file:${paths.log4j}`,
      '-cp',
      `${libs}/*`,
      'kafka.tools.StorageTool',
      'format',
      '--ignore-formatted',
      '-t',
      newClusterId(),
      '-c',
      paths.properties,
    ],
    { logFile },
  );
  if (result.code !== 0) throw new StackError(`formatting Kafka storage failed; see ${logFile}`);
}

/** Uses a running Kafka (ours or the machine's), else fetches, formats and starts ours, then waits for it. */
export async function ensureKafka(config: StackConfig, log: (line: string) => void): Promise<void> {
  const paths = kafkaPaths(config);
  const address = kafkaAddress(config);
  let pid = runningPid(paths.pidFile, MARKER);

  if (pid === undefined) {
    if (await isPortOpen(config.kafkaPort)) {
      if (await kafkaAnswers(config.kafkaPort)) {
        log(`kafka: using the Kafka already answering on ${address} (not started by the project)`);
        return;
      }
      throw new StackError(
        `port ${config.kafkaPort} is taken by another process and does not answer as Kafka; set KAFKA_PORT`,
      );
    }
    if (await isPortOpen(config.kafkaControllerPort)) {
      throw new StackError(
        `port ${config.kafkaControllerPort} (Kafka controller) is taken by another process; set KAFKA_CONTROLLER_PORT`,
      );
    }
    const java = await requireJava();
    const libs = await ensureKafkaLibs(config.stackDir, log);
    for (const dir of [paths.data, paths.logs]) fs.mkdirSync(dir, { recursive: true });
    writeConfig(config, paths);
    await formatStorageOnce(java, libs, paths);
    pid = spawnDetached({
      command: java,
      args: [
        '-Xmx1g',
        '-Djava.awt.headless=true',
        `-Dlog4j.configuration=file:${paths.log4j}`,
        `-Dkafka.logs.dir=${paths.logs}`,
        '-cp',
        `${libs}/*`,
        'kafka.Kafka',
        paths.properties,
      ],
      cwd: paths.dir,
      logFile: path.join(paths.logs, 'stdout.log'),
      pidFile: paths.pidFile,
    });
    log(`kafka: started (pid ${pid}), waiting for ${address}`);
  } else if (await kafkaAnswers(config.kafkaPort)) {
    return log(`kafka: up on ${address} (pid ${pid}, started by the project)`);
  } else {
    log(`kafka: pid ${pid} is running but not answering yet, waiting for ${address}`);
  }

  const running = pid;
  const serverLog = path.join(paths.logs, 'server.log');
  const took = await waitUntil({
    what: 'kafka',
    timeoutMs: config.startTimeoutMs,
    log,
    probe: () => kafkaAnswers(config.kafkaPort),
    failed: () =>
      runningPid(paths.pidFile, MARKER) === undefined
        ? `kafka exited while starting; see ${serverLog}`
        : undefined,
    timeoutMessage: `kafka (pid ${running}) did not answer on ${address} within ${seconds(config.startTimeoutMs)}; see ${serverLog}, or run stack:down and retry`,
  });
  log(`kafka: up on ${address} after ${seconds(took)}`);
}

/** Stops Kafka only when the project started it; a machine's Kafka is never touched. */
export async function stopKafka(config: StackConfig, log: (line: string) => void): Promise<void> {
  const paths = kafkaPaths(config);
  const pid = runningPid(paths.pidFile, MARKER);
  if (pid === undefined) return log('kafka: not started by the project, nothing to stop');
  log(`kafka: stopping pid ${pid}`);
  await stopProcess(pid, MARKER);
  fs.rmSync(paths.pidFile, { force: true });
  log('kafka: stopped');
}
