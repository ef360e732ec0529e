import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { type CpuReading } from './cost-figures';
import { parseSocketOwners } from './proc-parse';
import { readCommandLine, readJitCompilerCpu, readProcessCpu } from './process-cpu';

const WORKSPACE = join(__dirname, '../..');

/** One row of the cost table: a process found once, read at every sample (n/a with the reason when not found). */
export interface WatchedProcess {
  readonly label: string;
  readonly pid: number | undefined;
  readonly read: () => CpuReading;
  /** A JVM's: the part of `read` its JIT compiler threads used. */
  readonly readJit?: () => CpuReading;
}

function watch(
  label: string,
  found: { pid: number; how: string } | { why: string },
  jvm = false,
): WatchedProcess {
  if ('why' in found) return { label, pid: undefined, read: () => ({ kind: 'missing', why: found.why }) };
  return {
    label: `${label} (pid ${found.pid}${found.how ? `, ${found.how}` : ''})`,
    pid: found.pid,
    read: () => readProcessCpu(found.pid),
    ...(jvm ? { readJit: () => readJitCompilerCpu(found.pid) } : {}),
  };
}

/** The pid of whatever listens on a local TCP port (`ss -ltnp`, as tools/demo/fleet.ts names a port's owner). */
export function listenerPid(port: number): number | undefined {
  const ss = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
  return [...parseSocketOwners(ss.stdout ?? '').values()][0];
}

/** Local TCP port → owning pid for the client side of every established connection to `port`. */
export function clientSocketOwners(port: number): Map<number, number> {
  const ss = spawnSync('ss', ['-Htnp', 'state', 'established', `( dport = :${port} )`], { encoding: 'utf8' });
  return parseSocketOwners(ss.stdout ?? '');
}

/**
 * A stack process: the pid file `npm run stack:up` wrote under `.stack/` when the project started it (checked
 * against its command line, as tools/stack does), else the machine's own server listening on the port.
 */
function stackProcess(
  pidFile: string,
  marker: string,
  port: number,
): { pid: number; how: string } | { why: string } {
  const fromFile = Number(readFileOr(join(process.env['STACK_DIR'] ?? join(WORKSPACE, '.stack'), pidFile)));
  if (Number.isSafeInteger(fromFile) && fromFile > 0 && readCommandLine(fromFile)?.includes(marker))
    return { pid: fromFile, how: `.stack/${pidFile}` };
  const listener = listenerPid(port);
  if (listener !== undefined) return { pid: listener, how: `not the stack's, listens on :${port}` };
  return { why: `no live pid in .stack/${pidFile} and nothing listens on :${port}` };
}

export function stackProcesses(): WatchedProcess[] {
  const port = (variable: string, url: string | undefined, fallback: number) =>
    Number(process.env[variable] ?? portOf(url) ?? fallback);
  return [
    watch('kafka', stackProcess('kafka/kafka.pid', 'kafka.Kafka', port('KAFKA_PORT', undefined, 9092)), true),
    watch(
      'schema registry',
      stackProcess(
        'apicurio/registry.pid',
        'apicurio-registry-app',
        port('SCHEMA_REGISTRY_PORT', process.env['SCHEMA_REGISTRY_URL'], 8081),
      ),
      true,
    ),
    watch(
      'redis',
      stackProcess('redis/redis.pid', 'redis-server', port('REDIS_PORT', process.env['REDIS_URL'], 6379)),
    ),
    // The trace backend receives every recorded span: part of what tracing costs per bet.
    watch(
      'zipkin',
      stackProcess('zipkin/zipkin.pid', 'zipkin-server-', port('ZIPKIN_PORT', undefined, 9411)),
      true,
    ),
    // The identity provider: the services verify tokens against its cached JWKS, so it should idle under traffic.
    watch(
      'keycloak',
      stackProcess('keycloak/keycloak.pid', 'keycloak', port('KEYCLOAK_PORT', undefined, 8180)),
      true,
    ),
  ];
}

/** The processes tools/demo/fleet.ts started (the wallet sandbox and the six services). */
export function fleetProcesses(
  processes: ReadonlyArray<{ readonly name: string; readonly pid: number | undefined }>,
): WatchedProcess[] {
  return processes.map(({ name, pid }) =>
    watch(name, pid === undefined ? { why: 'spawn returned no pid' } : { pid, how: '' }),
  );
}

export function benchClient(): WatchedProcess {
  return watch('bench client', { pid: process.pid, how: 'apart' });
}

/** The postmaster serving `databaseUrl` when it runs on this machine: the listener of its port. */
export function findPostmaster(databaseUrl: string): { pid: number } | { why: string } {
  const url = new URL(databaseUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!['127.0.0.1', 'localhost', '::1', ''].includes(host))
    return { why: `Postgres at ${host} is not on this machine` };
  const port = Number(url.port || 5432);
  const pid = listenerPid(port);
  if (pid === undefined) return { why: `nothing listens on :${port}` };
  return { pid };
}

function portOf(url: string | undefined): number | undefined {
  if (url === undefined) return undefined;
  try {
    const port = Number(new URL(url).port);
    return port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}

function readFileOr(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}
