import { spawn, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { StackError } from './errors';
import { sleep } from './ports';

/**
 * True when `pid` runs and its command line contains `marker`. The marker check keeps a stale pid file from
 * adopting (or, worse, killing) an unrelated process that reused the pid after a reboot.
 */
export function isRunning(pid: number, marker: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive but owned by another user; still "running" for our purposes.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // Zombies and exited processes have an empty cmdline.
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    // No /proc (not Linux): trust the signal check.
    return process.platform !== 'linux';
  }
}

export function readPid(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The pid recorded in `file` when that process still runs, else undefined (and the stale file is removed). */
export function runningPid(file: string, marker: string): number | undefined {
  const pid = readPid(file);
  if (pid !== undefined && isRunning(pid, marker)) return pid;
  fs.rmSync(file, { force: true });
  return undefined;
}

export interface DetachedProcess {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly logFile: string;
  readonly pidFile: string;
  /** Extra environment on top of ours (e.g. a start script's JVM options). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Starts a long-running server that must outlive `npm run stack:up`: its own session (detached), output into a log
 * file instead of our pipes, and unref'd so Node exits without waiting for it.
 */
export function spawnDetached(spec: DetachedProcess): number {
  const out = fs.openSync(spec.logFile, 'a');
  try {
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      detached: true,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', out, out],
    });
    if (child.pid === undefined)
      throw new StackError(`could not start ${spec.command} (see ${spec.logFile})`);
    child.unref();
    fs.writeFileSync(spec.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    fs.closeSync(out);
  }
}

/** SIGTERM for a clean shutdown (Kafka flushes its logs), SIGKILL only if it hangs past the grace period. */
export async function stopProcess(pid: number, marker: string, graceMs = 30_000): Promise<void> {
  if (!isRunning(pid, marker)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isRunning(pid, marker)) return;
    await sleep(250);
  }
  process.kill(pid, 'SIGKILL');
}

export interface CommandResult {
  readonly code: number;
  readonly output: string;
}

/**
 * Runs a short command to completion. Detached so that anything it daemonizes (pg_ctl's postmaster) lands in its own
 * session and survives a Ctrl-C of the npm command; output goes to `logFile` when given.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; logFile?: string } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const logFd = options.logFile === undefined ? undefined : fs.openSync(options.logFile, 'a');
    const spawnOptions: SpawnOptions = {
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', logFd ?? 'pipe', logFd ?? 'pipe'],
    };
    const child = spawn(command, [...args], spawnOptions);
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk));
    const closeLog = (): void => {
      if (logFd !== undefined) fs.closeSync(logFd);
    };
    child.once('error', (error) => {
      closeLog();
      reject(error);
    });
    child.once('close', (code) => {
      closeLog();
      resolve({ code: code ?? 1, output: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

/** Absolute path of an executable found on PATH, like `which`. */
export function which(command: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}
