/**
 * `npm run images:smoke [-- --app outbox-relay]`: runs one built image (`npm run images:build -- --app <app>`)
 * as a container would, without a container runtime, against the real local stack (`npm run stack:up`):
 *   1. `umoci unpack` of its OCI layout (.stack/images/oci/<app>) into .stack/images/smoke/<app>;
 *   2. the image's own entry point, command, user and environment (the config umoci writes) run by
 *      chroot-run.sh: uid 1000, read-only root, tmpfs /tmp, tini as PID 1 of a PID namespace;
 *   3. pass when /health/live and /health/ready answer 200, the processes are who the image says (tini PID 1,
 *      node as uid 1000, root mounted read-only), the app does its job (outbox-relay: events appended to its
 *      source outbox arrive on Kafka, decoded through the registry), and SIGTERM stops it within 20 s.
 * Its own Postgres schema, topic prefix (topics and registry subjects) and consumer groups, dropped afterwards:
 * the run touches nothing of the tests or anyone else. Needs root (mounts, chroot). Exit 1 with the reason and
 * the service's last log lines on any failure.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parseArgs } from 'node:util';

import { eventStoreMigrations } from '@pitboss/event-store';
import { infrastructureConfig } from '@pitboss/platform-config';
import {
  collectEvents,
  createTestSchema,
  type EventCollector,
  freePort,
  provisionTestTopics,
  runOutboxWorkload,
  type TestSchema,
  type TestTopics,
} from '@pitboss/testing';

import { buildah, IMAGES_DIR, run, WORKSPACE } from './buildah';

const SETTLEMENTS = 'rgs.settlements.v1';
const LIVE_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;

class SmokeFailure extends Error {}

interface ImageProcess {
  readonly uid: number;
  readonly gid: number;
  readonly cwd: string;
  readonly args: readonly string[];
  readonly env: readonly string[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { app: { type: 'string', default: 'outbox-relay' } } });
  const app = values.app as string;
  const layout = join(IMAGES_DIR, 'oci', app);
  if (!existsSync(join(layout, 'index.json')))
    throw new SmokeFailure(`no OCI layout at ${rel(layout)}: run npm run images:build -- --app ${app}`);
  const started = Date.now();

  const bundle = join(IMAGES_DIR, 'smoke', app);
  rmSync(bundle, { recursive: true, force: true });
  const tag = run('umoci', ['ls', '--layout', layout]).split('\n')[0] ?? '';
  run('umoci', ['unpack', '--image', `${layout}:${tag}`, bundle]);
  const unpackedAt = Date.now();
  const rootfs = join(bundle, 'rootfs');
  const image = imageProcess(join(bundle, 'config.json'));
  if (image.uid !== 1000) throw new SmokeFailure(`the image runs as uid ${image.uid}, not 1000`);

  const label = `smoke-${app}`;
  let db: TestSchema | undefined;
  let topics: TestTopics | undefined;
  let collector: EventCollector | undefined;
  let service: RunningService | undefined;
  let summary = '';
  let cleanup = '';
  try {
    try {
      db = await createTestSchema(eventStoreMigrations, 'smoke');
      topics = await provisionTestTopics(label);
    } catch (error) {
      throw new SmokeFailure(
        `the local stack did not answer (is it up? npm run stack:up): ${(error as Error).message}`,
      );
    }
    const port = await freePort();
    const env = serviceEnv(app, image, { port, grpcPort: await freePort(), db, topics });
    const log = join(IMAGES_DIR, 'smoke', `${app}.log`);
    service = startInChroot(rootfs, image, env, log);
    const runStarted = Date.now();

    await untilHealthy(service, `http://127.0.0.1:${port}/health/live`);
    const liveAt = Date.now();
    const processes = checkProcesses(rootfs);
    runHealthcheck(imageHealthcheck(`localhost/pitboss/${app}:${tag}`), processes.tiniPid, image, env);
    await untilHealthy(service, `http://127.0.0.1:${port}/health/ready`);
    const readyAt = Date.now();

    let job = '';
    if (app === 'outbox-relay') {
      collector = await collectEvents(topics, [SETTLEMENTS]);
      const appended = await runOutboxWorkload({
        databaseUrl: db.databaseUrl,
        schema: db.schema,
        writers: 2,
        appendsPerWriter: 25,
      });
      const expected = new Set(appended.map((event) => event.eventId));
      const received = collector.received;
      await until(
        () => new Set(received.map((event) => event.envelope.event_id)).size >= expected.size,
        30_000,
        () =>
          `${received.length} of the ${expected.size} events appended to ${db?.schema}.outbox reached ${topics?.prefix}${SETTLEMENTS}`,
        service,
      );
      const foreign = received.filter((event) => !expected.has(event.envelope.event_id));
      if (foreign.length > 0)
        throw new SmokeFailure(`${foreign.length} events on the topic were never appended`);
      job = `, relayed ${expected.size} events to Kafka in ${seconds(Date.now() - readyAt)}`;
    }

    const stopStarted = Date.now();
    const code = await service.stop(processes.tiniPid);
    if (code !== 0 && code !== 143)
      throw new SmokeFailure(`it exited with ${code} after SIGTERM, not 0 or 143 (128 + SIGTERM)`);
    const logText = readFileSync(log, 'utf8');
    if (!/"message":"[^"]*listening on/.test(logText))
      throw new SmokeFailure(`no "listening on" line in ${rel(log)}`);
    summary =
      `unpack ${seconds(unpackedAt - started)}, start to /health/live ${seconds(liveAt - runStarted)}, ` +
      `to /health/ready ${seconds(readyAt - runStarted)}${job}, SIGTERM to exit ${code} ` +
      `${seconds(Date.now() - stopStarted)}; tini PID 1, node uid ${processes.nodeUid}, root read-only, HEALTHCHECK ok, ` +
      `log ${rel(log)}`;
  } finally {
    const cleanupStarted = Date.now();
    service?.kill();
    const [collectorLeft, topicsLeft] = [collector, topics];
    // The collector leaves its group before its topics go; the schema and the unpacked bundle meanwhile.
    await Promise.allSettled([
      (async () => {
        await collectorLeft?.stop().catch(() => undefined);
        await topicsLeft?.cleanup();
      })(),
      db?.drop(),
      rm(bundle, { recursive: true, force: true }),
    ]);
    cleanup = seconds(Date.now() - cleanupStarted);
  }
  console.log(
    `images:smoke ${app}: passed in ${seconds(Date.now() - started)} (${summary}; clean-up ${cleanup})`,
  );
}

/**
 * The image's HEALTHCHECK command, from the Docker-format config buildah stored (an OCI image config has no
 * health check: the OCI layout loses it, a push in Docker format keeps it).
 */
function imageHealthcheck(image: string): { command: string[]; timeoutMs: number } {
  const inspected = JSON.parse(buildah(['inspect', '--type', 'image', image])) as {
    Docker: { config: { Healthcheck?: { Test?: string[]; Timeout?: number } } };
  };
  const health = inspected.Docker.config.Healthcheck;
  const [kind, ...rest] = health?.Test ?? [];
  if (kind !== 'CMD' && kind !== 'CMD-SHELL')
    throw new SmokeFailure(`${image} has no HEALTHCHECK (${JSON.stringify(health)})`);
  return {
    command: kind === 'CMD' ? rest : ['/bin/sh', '-c', rest.join(' ')],
    timeoutMs: (health?.Timeout ?? 30e9) / 1e6,
  };
}

/** The HEALTHCHECK as the engine runs it: inside the container (its root, mounts, PID namespace, user, env). */
function runHealthcheck(
  health: { command: string[]; timeoutMs: number },
  tiniPid: number,
  image: ImageProcess,
  env: readonly string[],
): void {
  const result = spawnSync(
    'nsenter',
    [
      `--target=${tiniPid}`,
      '--mount',
      '--pid',
      '--root',
      '--wd',
      `--setuid=${image.uid}`,
      `--setgid=${image.gid}`,
      '--',
      '/usr/bin/env',
      '-i',
      ...env,
      ...health.command,
    ],
    { encoding: 'utf8', timeout: health.timeoutMs },
  );
  if (result.status !== 0)
    throw new SmokeFailure(
      `the image's HEALTHCHECK (${health.command.join(' ')}) failed inside the container: ` +
        `exit ${result.status}${result.error ? ` (${result.error.message})` : ''} ${result.stderr.trim()}`,
    );
}

/** The image's process as umoci translated its config (OCI runtime spec `process`). */
function imageProcess(configFile: string): ImageProcess {
  const { process: p } = JSON.parse(readFileSync(configFile, 'utf8')) as {
    process: { user: { uid: number; gid: number }; cwd: string; args: string[]; env: string[] };
  };
  return { uid: p.user.uid, gid: p.user.gid, cwd: p.cwd, args: p.args, env: p.env };
}

/** The image's environment, then the run's own: private schema, topic prefix and ports, the local stack. */
function serviceEnv(
  app: string,
  image: ImageProcess,
  run: { port: number; grpcPort: number; db: TestSchema; topics: TestTopics },
): string[] {
  const stack = infrastructureConfig();
  const own: Record<string, string> = {
    PORT: String(run.port),
    GRPC_PORT: String(run.grpcPort),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'log',
    DATABASE_URL: stack.databaseUrl,
    DATABASE_SCHEMA: run.db.schema,
    RELAY_SOURCES: run.db.schema,
    KAFKA_BROKERS: stack.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: run.topics.prefix,
    SCHEMA_REGISTRY_URL: stack.schemaRegistryUrl,
    REDIS_URL: stack.redisUrl,
    PITBOSS_REGION: 'smoke',
    OTEL_TRACES_EXPORTER: 'zipkin',
    OTEL_EXPORTER_ZIPKIN_ENDPOINT: `http://127.0.0.1:${process.env['ZIPKIN_PORT'] ?? '9411'}/api/v2/spans`,
    ...(app === 'bet-gateway'
      ? {
          TENANT_SECRETS: 'smoke-tenant:smoke-secret',
          AUTH_ISSUER_URL: 'http://127.0.0.1:8180/realms/pitboss',
        }
      : {}),
  };
  const names = new Set(Object.keys(own));
  return [
    ...image.env.filter((pair) => !names.has(pair.slice(0, pair.indexOf('=')))),
    ...Object.entries(own).map(([name, value]) => `${name}=${value}`),
  ];
}

interface RunningService {
  readonly child: ChildProcess;
  readonly exited: Promise<number>;
  exitCode(): number | undefined;
  logTail(): string;
  stop(tiniPid: number): Promise<number>;
  kill(): void;
}

function startInChroot(
  rootfs: string,
  image: ImageProcess,
  env: readonly string[],
  log: string,
): RunningService {
  const child = spawn(
    'bash',
    [
      join(__dirname, 'chroot-run.sh'),
      rootfs,
      `${image.uid}:${image.gid}`,
      image.cwd,
      ...env,
      '--',
      ...image.args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const out = createWriteStream(log);
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  let code: number | undefined;
  const exited = new Promise<number>((resolve) =>
    child.once('exit', (status, signal) => {
      code = status ?? 128 + (signal === 'SIGKILL' ? 9 : 15);
      resolve(code);
    }),
  );
  return {
    child,
    exited,
    exitCode: () => code,
    logTail: () =>
      existsSync(log) ? readFileSync(log, 'utf8').trimEnd().split('\n').slice(-20).join('\n') : '',
    async stop(tiniPid) {
      // tini (PID 1 inside) forwards SIGTERM to node; the namespace ends when tini exits.
      process.kill(tiniPid, 'SIGTERM');
      const timeout = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS).unref(),
      );
      const result = await Promise.race([exited, timeout]);
      if (result === 'timeout')
        throw new SmokeFailure(`still running ${STOP_TIMEOUT_MS / 1000} s after SIGTERM`);
      return result;
    },
    kill() {
      // Killing PID 1 of the namespace ends every process in it.
      for (const pid of processesIn(rootfs)) if (nsPid(pid) === 1) process.kill(pid, 'SIGKILL');
      if (code === undefined) child.kill('SIGKILL');
    },
  };
}

/** Host PIDs of the processes whose root directory is the image's root filesystem. */
function processesIn(rootfs: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/root`) === rootfs;
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

function statusField(pid: number, field: string): string {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((candidate) => candidate.startsWith(`${field}:`));
  return line?.slice(field.length + 1).trim() ?? '';
}

/** The PID inside its innermost PID namespace. */
function nsPid(pid: number): number {
  return Number(statusField(pid, 'NSpid').split(/\s+/).pop());
}

/** What the image promises, checked on the live processes: tini PID 1, node as uid 1000, read-only root. */
function checkProcesses(rootfs: string): { tiniPid: number; nodeUid: number } {
  const processes = processesIn(rootfs).map((pid) => ({
    pid,
    command: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean),
    uid: Number(statusField(pid, 'Uid').split(/\s+/)[1]), // effective uid
  }));
  const tini = processes.find((p) => p.command[0] === '/usr/bin/tini' && nsPid(p.pid) === 1);
  if (!tini) throw new SmokeFailure(`tini is not PID 1 in the chroot (${JSON.stringify(processes)})`);
  const node = processes.find((p) => posix.basename(p.command[0] ?? '') === 'node');
  if (!node) throw new SmokeFailure(`no node process in the chroot (${JSON.stringify(processes)})`);
  const notUser = processes.filter((p) => p.uid !== 1000);
  if (notUser.length > 0)
    throw new SmokeFailure(`processes not running as uid 1000: ${JSON.stringify(notUser)}`);
  // mountinfo, as the process sees it: field 5 is the mount point, field 6 the per-mount options.
  const root = readFileSync(`/proc/${node.pid}/mountinfo`, 'utf8')
    .split('\n')
    .map((line) => line.split(' '))
    .filter((fields) => fields[4] === '/')
    .pop();
  if (!root || !root[5]?.split(',').includes('ro'))
    throw new SmokeFailure(
      `the root filesystem is not mounted read-only for the service (${root?.join(' ')})`,
    );
  return { tiniPid: tini.pid, nodeUid: node.uid };
}

async function untilHealthy(service: RunningService, url: string): Promise<void> {
  let last = 'no answer';
  await until(
    async () => {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        last = `${response.status} ${(await response.text()).slice(0, 300)}`;
        return response.status === 200;
      } catch (error) {
        last = (error as Error).message;
        return false;
      }
    },
    LIVE_TIMEOUT_MS,
    () => `${url} did not answer 200 within ${LIVE_TIMEOUT_MS / 1000} s (last: ${last})`,
    service,
  );
}

async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  failure: () => string,
  service: RunningService,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    const code = service.exitCode();
    if (code !== undefined)
      throw new SmokeFailure(`the service exited with ${code}: ${failure()}\n${service.logTail()}`);
    if (Date.now() > deadline) throw new SmokeFailure(`${failure()}\n${service.logTail()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rel = (file: string) => posix.relative(WORKSPACE, file);

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const app = process.argv.includes('--app')
      ? process.argv[process.argv.indexOf('--app') + 1]
      : 'outbox-relay';
    console.error(`images:smoke FAILED (${app}): ${(error as Error).message}`);
    process.exit(1);
  },
);
