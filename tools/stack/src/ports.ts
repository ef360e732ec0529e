import net from 'node:net';
import { StackError } from './errors';

/** True when something accepts TCP connections on host:port (ours or not; callers probe what it is). */
export function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const finish = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface WaitOptions {
  readonly what: string;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
  readonly probe: () => Promise<boolean>;
  /** Returns a reason when waiting is pointless (e.g. the process died), so we fail fast instead of at the deadline. */
  readonly failed?: () => string | undefined;
  readonly timeoutMessage: string;
}

/** Polls until the probe succeeds, printing a progress line every few seconds so a slow JVM start is visible. */
export async function waitUntil(options: WaitOptions): Promise<number> {
  const started = Date.now();
  let lastReport = started;
  for (;;) {
    if (await options.probe()) return Date.now() - started;
    const failure = options.failed?.();
    if (failure !== undefined) throw new StackError(failure);
    const now = Date.now();
    if (now - started > options.timeoutMs) throw new StackError(options.timeoutMessage);
    if (now - lastReport >= 5000) {
      options.log(`${options.what}: still waiting (${Math.round((now - started) / 1000)}s)`);
      lastReport = now;
    }
    await sleep(500);
  }
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
