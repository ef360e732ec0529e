import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { expectEventually } from './expect-eventually';

const WORKSPACE = join(__dirname, '../../..');

export interface ServiceProcess {
  readonly name: string;
  /** `http://127.0.0.1:<port>` of its HTTP listener. */
  readonly url: string;
  /** `127.0.0.1:<port>` of its gRPC listener, when it logged one. */
  readonly grpcAddress: string | undefined;
  readonly child: ChildProcess;
  readonly output: string[];
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** The process ended before it was up (e.g. refused its configuration): how, and what it wrote. */
export class ServiceExitedError extends Error {
  constructor(
    readonly app: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    /** stdout and stderr lines, interleaved as they came. */
    readonly output: readonly string[],
    readonly stderr: readonly string[],
  ) {
    super(`${app} exited with ${exitCode ?? signal} before it was up:\n${output.join('\n')}`);
    this.name = 'ServiceExitedError';
  }
}

export interface ServiceProcessOptions {
  readonly env: Readonly<Record<string, string>>;
  /** Wait for /health/ready (default) or only for the listener. */
  readonly waitReady?: boolean;
  /** Log fragments that must also have appeared (e.g. a consumer's "joined" line) before it counts as started. */
  readonly waitForLines?: readonly string[];
  readonly startTimeoutMs?: number;
}

/**
 * A built app (`npx nx build <app>`; the jest global setup builds them all) as a real child process on ports the
 * OS picks, read back from its "listening on" log lines. Tests get the same binary production runs.
 */
export async function startServiceProcess(
  app: string,
  options: ServiceProcessOptions,
): Promise<ServiceProcess> {
  const main = join(WORKSPACE, `dist/apps/${app}/apps/${app}/src/main.js`);
  if (!existsSync(main)) throw new Error(`${main} is missing: run npx nx build ${app}`);
  const child = spawn(process.execPath, [main], {
    // Locally the spans go to the stack's Zipkin (no OTLP collector here); the environment can still say otherwise.
    env: {
      OTEL_TRACES_EXPORTER: 'zipkin',
      ...process.env,
      PORT: '0',
      GRPC_PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'log',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const stderr: string[] = [];
  const linesOf = (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean);
  child.stdout?.on('data', (chunk: Buffer) => output.push(...linesOf(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => {
    output.push(...linesOf(chunk));
    stderr.push(...linesOf(chunk));
  });
  let up = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Rejects with how the process ended when it dies before it is up, so a start fails at once with its output.
  const exitedBeforeUp = new Promise<never>((_, reject) =>
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      if (!up) reject(new ServiceExitedError(app, code, signal, output, stderr));
    }),
  );
  exitedBeforeUp.catch(() => undefined);
  const dead = () => child.exitCode !== null || child.signalCode !== null;
  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  try {
    // Polling stops (null) once the process is dead; `exitedBeforeUp` then says how it ended.
    const url = await Promise.race([
      exitedBeforeUp,
      expectEventually(
        () => {
          if (dead()) return null;
          const match = output.map((line) => /listening on (http:\/\/[^\s"]+)/.exec(line)).find(Boolean);
          const missing = (options.waitForLines ?? []).filter(
            (wanted) => !output.some((line) => line.includes(wanted)),
          );
          if (!match?.[1] || missing.length > 0) {
            throw new Error(
              `${app} is not up yet (${missing.join(', ') || 'listening'}):\n${output.slice(-20).join('\n')}`,
            );
          }
          return match[1].replace('0.0.0.0', '127.0.0.1');
        },
        { timeoutMs },
      ),
    ]);
    if (url === null) return await exitedBeforeUp;
    if (options.waitReady ?? true) {
      await Promise.race([
        exitedBeforeUp,
        expectEventually(
          async () => {
            if (dead()) return;
            const response = await fetch(`${url}/health/ready`);
            if (response.status !== 200) throw new Error(`${app} not ready: ${await response.text()}`);
          },
          { timeoutMs },
        ),
      ]);
      if (dead()) return await exitedBeforeUp;
    }
    up = true;
    const grpc = output.map((line) => /grpc listening on [^\s:"]+:(\d+)/.exec(line)).find(Boolean);
    return {
      name: app,
      url,
      grpcAddress: grpc?.[1] ? `127.0.0.1:${grpc[1]}` : undefined,
      child,
      output,
      kill,
    };
  } catch (error) {
    await kill('SIGKILL');
    throw error;
  }
}
