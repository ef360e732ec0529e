import fs from 'node:fs';
import path from 'node:path';
import { envInt } from '@pitboss/platform-config';
import { StackError } from './errors';
import { ensureZipkinJar } from './maven-artifacts';
import type { StackConfig, StartedBy } from './stack-config';
import { isPortOpen, seconds, waitUntil } from './ports';
import { runningPid, spawnDetached, stopProcess } from './processes';
import { recordStart, startDetail } from './start-record';
import { requireJava } from './toolchain';

/** Substring of Zipkin's command line; identifies our JVM behind a pid file. */
const MARKER = 'zipkin-server-';

// In-memory storage keeps the newest spans only: a bench run of thousands of bets (~25 spans each) stays inside a
// small heap instead of growing a second JVM on a 2-core machine. Serial GC and C1 only: a quicker, cheaper start.
const MAX_SPANS = 50_000;
const JVM_OPTIONS = ['-Xms32m', '-Xmx192m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

/** Zipkin's UI and API port: `ZIPKIN_PORT`, default 9411 (the exporter's default endpoint). */
export function zipkinPort(env: Readonly<Record<string, string | undefined>> = process.env): number {
  return envInt('ZIPKIN_PORT', 9411, env);
}

export function zipkinAddress(): string {
  return `http://127.0.0.1:${zipkinPort()}/zipkin/`;
}

function zipkinDir(config: StackConfig): string {
  return path.join(config.stackDir, 'zipkin');
}

function pidFile(config: StackConfig): string {
  return path.join(zipkinDir(config), 'zipkin.pid');
}

function startFile(config: StackConfig): string {
  return path.join(zipkinDir(config), 'started.json');
}

/** 200 from the span API the tests query, not just an open port. */
export async function zipkinAnswers(): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${zipkinPort()}/api/v2/services`, {
      signal: AbortSignal.timeout(3000),
    });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

export function zipkinStartedBy(config: StackConfig): StartedBy {
  return runningPid(pidFile(config), MARKER) === undefined ? 'machine' : 'project';
}

/** "up after 14.2s, RSS 180 MB" for the JVM the project started; undefined for anyone else's Zipkin. */
export function zipkinDetail(config: StackConfig): string | undefined {
  const pid = runningPid(pidFile(config), MARKER);
  if (pid === undefined) return undefined;
  return startDetail(startFile(config), pid);
}

/** Uses a Zipkin already answering on the port, else fetches and starts the pinned server (in-memory storage). */
export async function ensureZipkin(config: StackConfig, log: (line: string) => void): Promise<void> {
  const port = zipkinPort();
  const dir = zipkinDir(config);
  const logFile = path.join(dir, 'logs', 'zipkin.log');
  let pid = runningPid(pidFile(config), MARKER);
  if (pid === undefined) {
    if (await isPortOpen(port)) {
      if (!(await zipkinAnswers()))
        throw new StackError(
          `port ${port} is taken by another process and does not answer as Zipkin; set ZIPKIN_PORT`,
        );
      return log(`zipkin: using the Zipkin already answering on port ${port} (not started by the project)`);
    }
    const java = await requireJava();
    const jar = await ensureZipkinJar(config.stackDir, log);
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    pid = spawnDetached({
      command: java,
      args: [
        ...JVM_OPTIONS,
        '-jar',
        jar,
        `--armeria.ports[0].port=${port}`,
        '--zipkin.storage.type=mem',
        `--zipkin.storage.mem.max-spans=${MAX_SPANS}`,
      ],
      cwd: dir,
      logFile,
      pidFile: pidFile(config),
    });
    log(`zipkin: started (pid ${pid}), waiting for port ${port}`);
  }
  if (await zipkinAnswers())
    return log(`zipkin: up on ${zipkinAddress()} (pid ${pid}, started by the project)`);
  const running = pid;
  const took = await waitUntil({
    what: 'zipkin',
    timeoutMs: config.startTimeoutMs,
    log,
    probe: zipkinAnswers,
    failed: () =>
      runningPid(pidFile(config), MARKER) === undefined
        ? `zipkin exited while starting; see ${logFile}`
        : undefined,
    timeoutMessage: `zipkin (pid ${running}) did not answer on port ${port} within ${seconds(config.startTimeoutMs)}; see ${logFile}`,
  });
  recordStart(startFile(config), running, took);
  log(`zipkin: up on ${zipkinAddress()} after ${seconds(took)}`);
}

/** Stops Zipkin only when the project started it. */
export async function stopZipkin(config: StackConfig, log: (line: string) => void): Promise<void> {
  const pid = runningPid(pidFile(config), MARKER);
  if (pid === undefined) return log('zipkin: not started by the project, nothing to stop');
  log(`zipkin: stopping pid ${pid}`);
  await stopProcess(pid, MARKER);
  fs.rmSync(pidFile(config), { force: true });
  fs.rmSync(startFile(config), { force: true });
  log('zipkin: stopped');
}
