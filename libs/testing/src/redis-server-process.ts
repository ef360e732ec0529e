import { type ChildProcess, spawn } from 'node:child_process';

import { Redis } from 'ioredis';

import { expectEventually } from './expect-eventually';
import { freePort } from './free-port';

export interface RedisServerProcess {
  readonly url: string;
  /** Stops the server (SIGKILL: an outage, not a shutdown). */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
}

/**
 * A Redis of the test's own (the machine's redis-server, no persistence, a port the OS picked), for tests that take
 * Redis away from a service without taking it from every other suite sharing the stack's Redis.
 */
export async function startRedisServer(): Promise<RedisServerProcess> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await expectEventually(async () => {
      const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
      probe.on('error', () => undefined); // a refused connection is the answer awaited here, not an error
      try {
        await probe.connect();
        expect(await probe.ping()).toBe('PONG');
      } finally {
        probe.disconnect();
      }
    });
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    kill: async () => {
      const running = child;
      if (running === undefined || running.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill('SIGKILL');
      });
    },
    restart: start,
  };
}
