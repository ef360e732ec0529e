import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { StackError } from './errors';
import { isPortOpen, seconds, waitUntil } from './ports';
import { runCommand, runningPid, stopProcess, which } from './processes';
import { isLocalHost, type StackConfig, type StartedBy } from './stack-config';

const MARKER = 'redis-server';

function redisDir(config: StackConfig): string {
  return path.join(config.stackDir, 'redis');
}

/** redis-server writes it (--pidfile); its existence with a live pid is also our "started by the project" marker. */
function pidFile(config: StackConfig): string {
  return path.join(redisDir(config), 'redis.pid');
}

export function redisAddress(config: StackConfig): string {
  return `${config.redisHost}:${config.redisPort}`;
}

/**
 * A raw RESP PING instead of a client library: no reconnect loop, no error events, and a NOAUTH reply still proves
 * it is Redis (the URL carries the password, the stack does not need it).
 */
export function redisAnswers(config: StackConfig, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port: config.redisPort, host: config.redisHost });
    let reply = '';
    const finish = (answers: boolean): void => {
      socket.destroy();
      resolve(answers);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG') || reply.startsWith('-NOAUTH'));
    });
  });
}

export function redisStartedBy(config: StackConfig): StartedBy {
  return runningPid(pidFile(config), MARKER) === undefined ? 'machine' : 'project';
}

/** Uses the Redis that answers; otherwise starts a throwaway (no persistence) redis-server under .stack/redis. */
export async function ensureRedis(config: StackConfig, log: (line: string) => void): Promise<void> {
  const address = redisAddress(config);
  if (await redisAnswers(config))
    return log(`redis: up on ${address} (started by the ${redisStartedBy(config)})`);
  if (await isPortOpen(config.redisPort, config.redisHost)) {
    throw new StackError(
      `port ${config.redisPort} is taken by another process and does not answer as Redis; set REDIS_PORT`,
    );
  }
  if (!isLocalHost(config.redisHost))
    throw new StackError(`Redis at ${address} does not answer; check REDIS_URL`);
  const server = which('redis-server');
  if (server === undefined) {
    throw new StackError(
      `Redis does not answer on ${address} and redis-server is not installed (Debian: apt-get install redis-server); set REDIS_PORT`,
    );
  }

  const dir = redisDir(config);
  fs.mkdirSync(dir, { recursive: true });
  const logFile = path.join(dir, 'redis.log');
  // Idempotency keys and caches only: losing them on restart is fine, and no dump files end up in the repo.
  const args = [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '--port',
    String(config.redisPort),
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--logfile',
    logFile,
    '--pidfile',
    pidFile(config),
  ];
  const result = await runCommand(server, args, { logFile: path.join(dir, 'start.log') });
  if (result.code !== 0) throw new StackError(`redis-server failed to start; see ${logFile}`);
  log(`redis: started redis-server, waiting for ${address}`);

  const took = await waitUntil({
    what: 'redis',
    timeoutMs: config.startTimeoutMs,
    log,
    probe: () => redisAnswers(config),
    timeoutMessage: `redis-server does not answer on ${address} within ${seconds(config.startTimeoutMs)}; see ${logFile}`,
  });
  log(`redis: up on ${address} after ${seconds(took)} (started by the project)`);
}

/** Stops Redis only when the project started it; the machine's own redis-server is left alone. */
export async function stopRedis(config: StackConfig, log: (line: string) => void): Promise<void> {
  const pid = runningPid(pidFile(config), MARKER);
  if (pid === undefined) return log('redis: not started by the project, nothing to stop');
  log(`redis: stopping pid ${pid}`);
  await stopProcess(pid, MARKER, 10_000);
  fs.rmSync(pidFile(config), { force: true });
  log('redis: stopped');
}
