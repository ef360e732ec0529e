import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { freePort } from '@pitboss/testing';

import { runCommand } from '../stack/src/processes';
import { asServerUser, chownTree, postgresBinDir, postgresUserIds } from '../stack/src/postgres';

export interface BenchPostgres {
  readonly port: number;
  readonly dataDir: string;
  /** The bench's database on it (`bench`), as a postgres:// URL (trust auth, loopback only). */
  readonly databaseUrl: string;
  readonly logFile: string;
  stop(): Promise<void>;
}

/**
 * The server settings of the bench's own Postgres: logical decoding for Debezium (`wal_level=logical`, a WAL
 * sender and a slot to spare), and the money path's durability (`synchronous_commit=on`, `fsync=on`) for both
 * relays alike. Pure, so the settings are unit-tested and printed as they are.
 */
export function benchServerSettings(port: number, socketDir: string): Record<string, string> {
  return {
    port: String(port),
    listen_addresses: '127.0.0.1',
    unix_socket_directories: socketDir,
    wal_level: 'logical',
    max_wal_senders: '4',
    max_replication_slots: '4',
    synchronous_commit: 'on',
    fsync: 'on',
    max_connections: '100',
  };
}

/** `-c name=value` pairs in one pg_ctl `-o` string (values here never contain spaces or quotes). */
export function serverOptions(settings: Readonly<Record<string, string>>): string {
  return Object.entries(settings)
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(' ');
}

/**
 * initdb into a fresh git-ignored directory under `<stackDir>/bench-relay`, start it on a free port, create the
 * `bench` database. As root every server command runs as the `postgres` user, as tools/stack does.
 */
export async function startBenchPostgres(
  stackDir: string,
  log: (line: string) => void,
): Promise<BenchPostgres> {
  const binDir = postgresBinDir();
  if (binDir === undefined)
    throw new Error('no initdb/pg_ctl installed (Debian: apt-get install postgresql)');
  const dir = join(stackDir, 'bench-relay', `postgres-${randomBytes(4).toString('hex')}`);
  const dataDir = join(dir, 'data');
  const socketDir = join(dir, 'run');
  const logFile = join(dir, 'postgres.log');
  mkdirSync(socketDir, { recursive: true });
  if (process.getuid?.() === 0) {
    const { uid, gid } = postgresUserIds();
    chownTree(dir, uid, gid);
  }
  const port = await freePort();
  const run = async (command: string, args: readonly string[], what: string) => {
    const [cmd, cmdArgs] = asServerUser(join(binDir, command), args);
    const result = await runCommand(cmd, cmdArgs, { cwd: dir });
    if (result.code !== 0)
      throw new Error(`${what} failed (exit ${result.code}): ${result.output.slice(-2_000)}`);
  };
  const stop = async () => {
    await run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop'], 'pg_ctl stop').catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    log(`bench postgres: initdb ${dataDir}`);
    await run(
      'initdb',
      ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale'],
      'initdb',
    );
    const options = serverOptions(benchServerSettings(port, socketDir));
    await run(
      'pg_ctl',
      ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', options, 'start'],
      'pg_ctl start',
    );
    await run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'bench'], 'createdb');
    log(`bench postgres: up on 127.0.0.1:${port} (${options})`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, dataDir, databaseUrl: `postgres://postgres@127.0.0.1:${port}/bench`, logFile, stop };
}
