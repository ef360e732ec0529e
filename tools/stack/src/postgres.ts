import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { StackError } from './errors';
import { isPortOpen, seconds, waitUntil } from './ports';
import { runCommand, which } from './processes';
import { isLocalHost, type StackConfig, type StartedBy } from './stack-config';

const DEBIAN_CONFIG_ROOT = '/etc/postgresql';

/** Written when the project starts a Postgres, so `down` stops that one and never the machine's own server. */
type StartedPostgres =
  | { readonly kind: 'debian-cluster'; readonly version: string }
  | { readonly kind: 'initdb'; readonly binDir: string; readonly dataDir: string };

function postgresDir(config: StackConfig): string {
  return path.join(config.stackDir, 'postgres');
}

function markerFile(config: StackConfig): string {
  return path.join(postgresDir(config), 'started-by-project.json');
}

function readMarker(config: StackConfig): StartedPostgres | undefined {
  try {
    return JSON.parse(fs.readFileSync(markerFile(config), 'utf8')) as StartedPostgres;
  } catch {
    return undefined;
  }
}

export function postgresAddress(config: StackConfig): string {
  return `${config.postgresHost}:${config.postgresPort}`;
}

/** The maintenance database on the same server: it exists before `pitboss` does. */
export function maintenanceUrl(config: StackConfig): string {
  const url = new URL(config.databaseUrl);
  url.pathname = '/postgres';
  return url.toString();
}

/** Undefined when Postgres answers a query; otherwise why not. */
export async function postgresProblem(config: StackConfig): Promise<string | undefined> {
  const client = new Client({ connectionString: maintenanceUrl(config), connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined); // a dropped connection must not crash the CLI
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function postgresStartedBy(config: StackConfig): StartedBy {
  return readMarker(config) === undefined ? 'machine' : 'project';
}

/** The machine's packaged cluster, when it is configured for the port we want (else starting it would not help). */
function debianClusterFor(port: number): string | undefined {
  if (which('pg_ctlcluster') === undefined || !fs.existsSync(DEBIAN_CONFIG_ROOT)) return undefined;
  const versions = fs.readdirSync(DEBIAN_CONFIG_ROOT).sort((a, b) => Number(b) - Number(a));
  return versions.find((version) => {
    const conf = path.join(DEBIAN_CONFIG_ROOT, version, 'main', 'postgresql.conf');
    if (!fs.existsSync(conf)) return false;
    const configured = /^\s*port\s*=\s*(\d+)/m.exec(fs.readFileSync(conf, 'utf8'))?.[1] ?? '5432';
    return Number(configured) === port;
  });
}

/** Directory holding initdb/pg_ctl: PATH first, else the newest Debian-packaged server. */
export function postgresBinDir(): string | undefined {
  const onPath = which('initdb');
  if (onPath !== undefined) return path.dirname(fs.realpathSync(onPath));
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const version = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))[0];
  return version === undefined ? undefined : path.join(root, version, 'bin');
}

/** Postgres refuses to run as root, so as root every server command runs as the `postgres` user. */
export function asServerUser(command: string, args: readonly string[]): [string, string[]] {
  return process.getuid?.() === 0
    ? ['runuser', ['-u', 'postgres', '--', command, ...args]]
    : [command, [...args]];
}

export function postgresUserIds(): { uid: number; gid: number } {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new StackError('running as root, but there is no "postgres" user to run a local Postgres as');
  }
  return { uid: Number(uid), gid: Number(gid) };
}

export function chownTree(dir: string, uid: number, gid: number): void {
  fs.chownSync(dir, uid, gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(child, uid, gid);
    else fs.chownSync(child, uid, gid);
  }
}

async function run(command: string, args: readonly string[], logFile: string, what: string): Promise<void> {
  const [cmd, cmdArgs] = asServerUser(command, args);
  const result = await runCommand(cmd, cmdArgs, { logFile, cwd: path.dirname(logFile) });
  if (result.code !== 0) throw new StackError(`${what} failed (exit ${result.code}); see ${logFile}`);
}

async function startWithInitdb(config: StackConfig, log: (line: string) => void): Promise<StartedPostgres> {
  const binDir = postgresBinDir();
  if (binDir === undefined) {
    throw new StackError(
      `Postgres does not answer on ${postgresAddress(config)} and no initdb/pg_ctl is installed (Debian: apt-get install postgresql); set PGPORT or DATABASE_URL`,
    );
  }
  const dir = postgresDir(config);
  const dataDir = path.join(dir, 'data');
  const socketDir = path.join(dir, 'run');
  const logFile = path.join(dir, 'postgres.log');
  fs.mkdirSync(socketDir, { recursive: true });
  fs.closeSync(fs.openSync(logFile, 'a'));
  if (process.getuid?.() === 0) {
    const { uid, gid } = postgresUserIds();
    chownTree(dir, uid, gid);
  }
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`postgres: initdb ${dataDir}`);
    const initdb = path.join(binDir, 'initdb');
    // Trust auth on a loopback-only server: the same contract as the default DATABASE_URL (no password).
    await run(
      initdb,
      ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale'],
      logFile,
      'initdb',
    );
  }
  const serverOptions = `-p ${config.postgresPort} -c listen_addresses=127.0.0.1 -k '${socketDir}'`;
  const pgCtl = path.join(binDir, 'pg_ctl');
  await run(
    pgCtl,
    ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions, 'start'],
    logFile,
    'pg_ctl start',
  );
  return { kind: 'initdb', binDir, dataDir };
}

/** Uses the Postgres that answers; otherwise starts the machine's packaged cluster or a private one under .stack. */
export async function ensurePostgres(config: StackConfig, log: (line: string) => void): Promise<void> {
  const address = postgresAddress(config);
  const problem = await postgresProblem(config);
  if (problem === undefined) {
    return log(`postgres: up on ${address} (started by the ${postgresStartedBy(config)})`);
  }
  if (await isPortOpen(config.postgresPort, config.postgresHost)) {
    throw new StackError(
      `port ${config.postgresPort} is taken by a process that does not answer as Postgres (${problem}); set PGPORT or DATABASE_URL`,
    );
  }
  if (!isLocalHost(config.postgresHost)) {
    throw new StackError(`Postgres at ${address} does not answer (${problem}); check DATABASE_URL`);
  }

  fs.mkdirSync(postgresDir(config), { recursive: true });
  const version = debianClusterFor(config.postgresPort);
  let started: StartedPostgres;
  if (version === undefined) {
    started = await startWithInitdb(config, log);
  } else {
    log(`postgres: starting the machine's Debian cluster ${version}/main`);
    const logFile = path.join(postgresDir(config), 'pg_ctlcluster.log');
    const result = await runCommand(
      'pg_ctlcluster',
      ['--skip-systemctl-redirect', version, 'main', 'start'],
      {
        logFile,
      },
    );
    if (result.code !== 0) throw new StackError(`pg_ctlcluster ${version} main start failed; see ${logFile}`);
    started = { kind: 'debian-cluster', version };
  }
  fs.writeFileSync(markerFile(config), `${JSON.stringify(started)}\n`);

  const took = await waitUntil({
    what: 'postgres',
    timeoutMs: config.startTimeoutMs,
    log,
    probe: async () => (await postgresProblem(config)) === undefined,
    timeoutMessage: `postgres started but does not answer on ${address} within ${seconds(config.startTimeoutMs)}; see ${postgresDir(config)}`,
  });
  log(`postgres: up on ${address} after ${seconds(took)} (started by the project)`);
}

/** Stops Postgres only when the project started it (per the marker); the machine's own server is left alone. */
export async function stopPostgres(config: StackConfig, log: (line: string) => void): Promise<void> {
  const started = readMarker(config);
  if (started === undefined) return log('postgres: not started by the project, nothing to stop');
  const logFile = path.join(postgresDir(config), 'stop.log');
  if (started.kind === 'debian-cluster') {
    log(`postgres: stopping Debian cluster ${started.version}/main (the project started it)`);
    const result = await runCommand(
      'pg_ctlcluster',
      ['--skip-systemctl-redirect', started.version, 'main', 'stop'],
      {
        logFile,
      },
    );
    if (result.code !== 0 && (await postgresProblem(config)) === undefined) {
      throw new StackError(`pg_ctlcluster ${started.version} main stop failed; see ${logFile}`);
    }
  } else {
    log(`postgres: stopping ${started.dataDir}`);
    const pgCtl = path.join(started.binDir, 'pg_ctl');
    const [cmd, args] = asServerUser(pgCtl, ['-D', started.dataDir, '-m', 'fast', '-w', 'stop']);
    const result = await runCommand(cmd, args, { logFile });
    // pg_ctl exits 1 when the server was already stopped; only a still-answering server is a failure.
    if (result.code !== 0 && (await postgresProblem(config)) === undefined) {
      throw new StackError(`pg_ctl stop failed; see ${logFile}`);
    }
  }
  fs.rmSync(markerFile(config), { force: true });
  log('postgres: stopped');
}
