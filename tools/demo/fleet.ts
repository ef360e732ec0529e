import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, relative } from 'node:path';

import { expectEventually } from '@pitboss/testing';

const WORKSPACE = join(__dirname, '../..');

/** Fixed local ports (the services' defaults, apps/<name>/src/main.ts): what the README and curl examples use. */
export const PORTS = {
  walletApi: 4000,
  walletAdmin: 4001,
  gatewayHttp: 3000,
  gatewayGrpc: 50051,
  bonusGrant: 3002,
  wageringProgress: 3003,
  outboxRelay: 3005,
  noc: 3006,
} as const;

interface ServiceSpec {
  readonly name: string;
  /** The port whose /health/ready says the process is ready. */
  readonly port: number;
  readonly main: string;
  /** Ports that must be free before start and accept connections before the fleet counts as ready. */
  readonly extraPorts: readonly number[];
  readonly env: Readonly<Record<string, string>>;
}

export interface FleetOptions {
  /** Where each process writes `<name>.log`, relative to the workspace (e.g. `.stack/demo`). */
  readonly logDir: string;
  /** bet-gateway's `TENANT_SECRETS`. */
  readonly tenantSecrets: string;
  /** Start the NOC too (apps/noc, scraping the fleet on its default ports): the demo does, the bench does not. */
  readonly noc?: boolean;
  readonly readyTimeoutMs: number;
  readonly stopTimeoutMs: number;
  readonly log: (message: string) => void;
}

export interface Fleet {
  readonly gatewayUrl: string;
  readonly gatewayGrpcAddress: string;
  readonly walletUrl: string;
  readonly walletAdminUrl: string;
  /** outbox-relay's health and /metrics. */
  readonly relayUrl: string;
  /** The NOC page, when the fleet runs one. */
  readonly nocUrl: string | undefined;
  readonly logDir: string;
  /** Every process started, by name (the bench reads their CPU from /proc). */
  readonly processes: ReadonlyArray<{ readonly name: string; readonly pid: number | undefined }>;
  /** Throws naming the first process that exited (with its log tail). */
  assertRunning(): void;
  stop(): Promise<void>;
}

/**
 * The money fleet as `npm run demo` and `npm run bench:gateway` run it: the wallet sandbox and the six services,
 * built, as plain processes on their default ports with JSON logs in `logDir`. The same binaries production runs.
 */
function serviceSpecs(options: FleetOptions): ServiceSpec[] {
  const walletUrl = `http://127.0.0.1:${PORTS.walletApi}`;
  const app = (name: string, port: number, env: Record<string, string> = {}, extraPorts: number[] = []) => ({
    name,
    port,
    main: `dist/apps/${name}/apps/${name}/src/main.js`,
    extraPorts,
    env: { PORT: String(port), ...env },
  });
  return [
    {
      name: 'wallet-sandbox',
      port: PORTS.walletAdmin,
      main: 'dist/tools/wallet-sandbox/tools/wallet-sandbox/src/main.js',
      extraPorts: [PORTS.walletApi],
      env: {
        WALLET_SANDBOX_PORT: String(PORTS.walletApi),
        WALLET_SANDBOX_ADMIN_PORT: String(PORTS.walletAdmin),
      },
    },
    app(
      'bet-gateway',
      PORTS.gatewayHttp,
      {
        TENANT_SECRETS: options.tenantSecrets,
        WALLET_URL: walletUrl,
        GRPC_PORT: String(PORTS.gatewayGrpc),
      },
      [PORTS.gatewayGrpc],
    ),
    // Pinned to the default, whatever the shell says: the demo's and bench's ledger checks count a credit per
    // settlement, losses included.
    app('settle-worker', 3001, {
      WALLET_URL: walletUrl,
      WALLET_ZERO_WIN_CREDIT: 'true',
      WALLET_ZERO_WIN_CREDIT_TENANTS: '',
    }),
    app('bonus-grant', PORTS.bonusGrant),
    app('wagering-progress', PORTS.wageringProgress),
    app('reconciliation', 3004),
    app('outbox-relay', PORTS.outboxRelay),
    // Its default NOC_SCRAPE_TARGETS are these services on these ports.
    ...(options.noc ? [app('noc', PORTS.noc)] : []),
  ];
}

/**
 * Extra Node flags for every fleet process, from `FLEET_NODE_ARGS` (space-separated; `{name}` becomes the
 * process's name): e.g. `--cpu-prof --cpu-prof-dir=.stack/prof --cpu-prof-name={name}.cpuprofile` to profile a bench
 * run, since Node refuses `--cpu-prof` in NODE_OPTIONS. A profile is written when the process exits on SIGTERM.
 */
function fleetNodeArgs(name: string): string[] {
  return (process.env['FLEET_NODE_ARGS'] ?? '')
    .split(' ')
    .filter(Boolean)
    .map((arg) => arg.replaceAll('{name}', name));
}

/** `npm run stack:up`, migrations, and the builds the fleet runs from (Nx answers from its cache when nothing changed). */
export function prepareFleet(log: (message: string) => void): void {
  const run = (label: string, command: string, args: string[]) => {
    log(label);
    const result = spawnSync(command, args, { cwd: WORKSPACE, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
  };
  run('local stack (Kafka, schema registry, Postgres, Redis)', 'npm', ['run', '--silent', 'stack:up']);
  run('migrations', 'npm', ['run', '--silent', 'db:migrate']);
  run('build (the services, the NOC and the wallet sandbox)', 'npx', ['nx', 'run-many', '-t', 'build']);
}

interface Running {
  readonly spec: ServiceSpec;
  readonly child: ChildProcess;
  readonly logFile: string;
}

/** Every process any startFleet call of this run spawned, also those of a fleet still starting. */
const everyStarted: Running[][] = [];

/** Stops whatever was started, even by a startFleet that has not returned yet (a Ctrl-C during start-up). */
export async function stopEverythingStarted(
  stopTimeoutMs: number,
  log: (message: string) => void,
): Promise<void> {
  await Promise.all([...new Set(everyStarted)].map((running) => stopAll(running, stopTimeoutMs, log)));
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const specs = serviceSpecs(options);
  const logDir = join(WORKSPACE, options.logDir);
  // A port still held (typically by a demo killed with SIGKILL) would only show up later as a crash in a log.
  for (const spec of specs)
    for (const port of [spec.port, ...spec.extraPorts]) await assertPortFree(spec.name, port);
  mkdirSync(logDir, { recursive: true });
  const running: Running[] = [];
  const stop = () => stopAll(running, options.stopTimeoutMs, options.log);
  try {
    for (const spec of specs) {
      const main = join(WORKSPACE, spec.main);
      if (!existsSync(main)) throw new Error(`${spec.main} is missing: build it (npx nx run-many -t build)`);
      const logFile = join(logDir, `${spec.name}.log`);
      const out = openSync(logFile, 'w');
      // HOST and PORT per process, so a PORT exported in the shell cannot put all of them on one port. Own
      // process group: a terminal's Ctrl-C reaches only us, and each service gets exactly one SIGTERM from stop().
      const child = spawn(process.execPath, [...fleetNodeArgs(spec.name), main], {
        cwd: WORKSPACE,
        // Spans to the stack's Zipkin unless the environment names another exporter (or OTEL_SDK_DISABLED).
        env: { OTEL_TRACES_EXPORTER: 'zipkin', ...process.env, HOST: '127.0.0.1', ...spec.env },
        stdio: ['ignore', out, out],
        detached: true,
      });
      running.push({ spec, child, logFile });
      everyStarted.push(running);
      options.log(
        `  ${spec.name.padEnd(18)} pid ${String(child.pid).padEnd(7)} ` +
          [spec.port, ...spec.extraPorts].map((port) => `127.0.0.1:${port}`).join(' '),
      );
    }
    const assertRunning = () => {
      const dead = running.find(({ child }) => child.exitCode !== null || child.signalCode !== null);
      if (dead)
        throw new Error(
          `${dead.spec.name} exited (${dead.child.exitCode ?? dead.child.signalCode}); ` +
            `log ${relative(WORKSPACE, dead.logFile)}:\n${logTail(dead.logFile)}`,
        );
    };
    await waitUntilReady(running, options.readyTimeoutMs, assertRunning);
    return {
      gatewayUrl: `http://127.0.0.1:${PORTS.gatewayHttp}`,
      gatewayGrpcAddress: `127.0.0.1:${PORTS.gatewayGrpc}`,
      walletUrl: `http://127.0.0.1:${PORTS.walletApi}`,
      walletAdminUrl: `http://127.0.0.1:${PORTS.walletAdmin}`,
      relayUrl: `http://127.0.0.1:${PORTS.outboxRelay}`,
      nocUrl: options.noc ? `http://127.0.0.1:${PORTS.noc}` : undefined,
      logDir: options.logDir,
      processes: running.map(({ spec, child }) => ({ name: spec.name, pid: child.pid })),
      assertRunning,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitUntilReady(
  running: ReadonlyArray<{ spec: ServiceSpec; logFile: string }>,
  timeoutMs: number,
  assertRunning: () => void,
): Promise<void> {
  const pending = async () => {
    const states = await Promise.all(
      running.map(async ({ spec, logFile }) => {
        const ready = await readiness(spec.port);
        const portsOpen = await Promise.all(spec.extraPorts.map(accepts));
        return ready.ok && portsOpen.every(Boolean) ? undefined : { spec, logFile, ready };
      }),
    );
    return states.filter((state) => state !== undefined);
  };
  try {
    await expectEventually(
      async () => {
        assertRunning();
        const waiting = await pending();
        if (waiting.length > 0) throw new Error(waiting.map(({ spec }) => spec.name).join(', '));
      },
      { timeoutMs, intervalMs: 250 },
    );
  } catch (error) {
    assertRunning();
    const waiting = await pending();
    const detail = waiting
      .map(({ spec, logFile, ready }) => `${spec.name} not ready: ${ready.body}\n${logTail(logFile)}`)
      .join('\n');
    throw new Error(
      `fleet not ready after ${timeoutMs / 1_000} s (DEMO_READY_TIMEOUT_S to wait longer)\n${detail || String(error)}`,
    );
  }
}

async function readiness(port: number): Promise<{ ok: boolean; body: string }> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health/ready`, {
      signal: AbortSignal.timeout(3_000),
    });
    return { ok: response.status === 200, body: `${response.status} ${await response.text()}` };
  } catch (error) {
    return { ok: false, body: `no answer (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** SIGTERM lets each service drain (the relay finishes its batch); what outlives the deadline is killed. */
async function stopAll(
  running: readonly Running[],
  stopTimeoutMs: number,
  log: (message: string) => void,
): Promise<void> {
  const alive = running.filter(({ child }) => child.exitCode === null && child.signalCode === null);
  if (alive.length === 0) return;
  log(`stopping the fleet (SIGTERM, pids ${alive.map(({ child }) => child.pid).join(' ')})`);
  await Promise.all(
    alive.map(async ({ spec, child }) => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        log(`${spec.name} (pid ${child.pid}) ignored SIGTERM for ${stopTimeoutMs / 1_000} s: SIGKILL`);
        child.kill('SIGKILL');
      }, stopTimeoutMs);
      await exited;
      clearTimeout(timer);
    }),
  );
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

async function assertPortFree(name: string, port: number): Promise<void> {
  if (!(await accepts(port))) return;
  const ss = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
  const owner = /pid=(\d+)/.exec(ss.stdout ?? '')?.[1];
  if (owner === undefined)
    throw new Error(`port ${port} (${name}) is in use by another process; free it and run again`);
  const args = spawnSync('ps', ['-o', 'args=', '-p', owner], { encoding: 'utf8' })
    .stdout.trim()
    .slice(0, 100);
  throw new Error(
    `port ${port} (${name}) is in use by pid ${owner} (${args}); a previous demo? stop it: kill ${owner}`,
  );
}

function logTail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
