import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { expectEventually } from './expect-eventually';

const RELAY_MAIN = join(__dirname, '../../../dist/apps/outbox-relay/apps/outbox-relay/src/main.js');

export interface RelayProcess {
  readonly child: ChildProcess;
  readonly output: string[];
  /** Waits until the relay logged this role for the source. */
  waitForRole(source: string, role: 'active' | 'standby', timeoutMs?: number): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * The built outbox-relay as a real child process, relaying the given schemas to the test's topics. `nodeArgs`
 * go before the script (a bench's `--cpu-prof`, which NODE_OPTIONS does not accept).
 */
export function startRelayProcess(
  sources: readonly string[],
  env: Readonly<Record<string, string>>,
  nodeArgs: readonly string[] = [],
): RelayProcess {
  if (!existsSync(RELAY_MAIN)) throw new Error(`${RELAY_MAIN} is missing: run npx nx build outbox-relay`);
  const child = spawn(process.execPath, [...nodeArgs, RELAY_MAIN], {
    env: {
      OTEL_TRACES_EXPORTER: 'zipkin', // the stack's Zipkin locally, unless the environment says otherwise
      ...process.env,
      ...env,
      PORT: '0',
      HOST: '127.0.0.1',
      RELAY_SOURCES: sources.join(','),
      LOG_LEVEL: 'log',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output,
    async waitForRole(source, role, timeoutMs = 30_000) {
      await expectEventually(
        () => {
          if (!output.some((line) => line.includes(`source ${source}: ${role}`)))
            throw new Error(`relay never became ${role} for ${source}:\n${output.join('\n')}`);
        },
        { timeoutMs },
      );
    },
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
