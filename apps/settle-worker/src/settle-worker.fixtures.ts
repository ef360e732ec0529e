import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { type EventEnvelope, messageKeyOf, type RgsRoundsPayloads, TOPICS } from '@pitboss/contracts';
import { EventPublisher } from '@pitboss/messaging';
import { expectEventually, type TestTopics } from '@pitboss/testing';

const WORKER_MAIN = join(__dirname, '../../../dist/apps/settle-worker/apps/settle-worker/src/main.js');

export interface SettleWorkerProcess {
  readonly child: ChildProcess;
  readonly output: string[];
  /**
   * Resolves once the HTTP listener and the timer loop are up, and (unless `consuming: false`) the consumer has
   * joined its group; returns the base URL.
   */
  ready(options?: { consuming?: boolean; timeoutMs?: number }): Promise<string>;
  /** The Prometheus text of `GET /metrics`. */
  metrics(): Promise<string>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** The built settle-worker as a real child process (Nest needs the tsc build for its decorator metadata). */
export function startSettleWorker(env: Readonly<Record<string, string>>): SettleWorkerProcess {
  if (!existsSync(WORKER_MAIN)) throw new Error(`${WORKER_MAIN} is missing: run npx nx build settle-worker`);
  const child = spawn(process.execPath, [WORKER_MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'log', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let url: string | undefined;
  const worker: SettleWorkerProcess = {
    child,
    output,
    async ready({ consuming = true, timeoutMs = 60_000 } = {}) {
      url = await expectEventually(
        () => {
          const listening = output
            .map((line) => /listening on (http:\/\/[^\s"]+)/.exec(line)?.[1])
            .find(Boolean);
          const joined = !consuming || output.some((line) => line.includes('consuming rgs.rounds.v1'));
          const timers = output.some((line) => line.includes('timer loop started'));
          if (!listening || !joined || !timers)
            throw new Error(`settle-worker is not up:\n${output.join('\n')}`);
          return listening;
        },
        { timeoutMs },
      );
      return url;
    },
    async metrics() {
      if (!url) throw new Error('settle-worker is not ready');
      return (await fetch(`${url}/metrics`)).text();
    },
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  return worker;
}

/** The value of one sample of a metric in Prometheus text (0 when absent). */
export function metricValue(
  text: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  const line = text
    .split('\n')
    .find((candidate) =>
      candidate.startsWith(`${name}{`) || candidate.startsWith(`${name} `)
        ? Object.entries(labels).every(([key, value]) => candidate.includes(`${key}="${value}"`))
        : false,
    );
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

type RoundEventType = keyof RgsRoundsPayloads;

/** Publishes rgs.rounds.v1 events as bet-gateway's relay would: Avro through the registry, keyed by player. */
export class RoundsPublisher {
  private readonly publisher: EventPublisher;

  constructor(topics: TestTopics) {
    this.publisher = new EventPublisher(topics.kafka, topics.codec, topics.naming);
  }

  connect(): Promise<void> {
    return this.publisher.connect();
  }

  disconnect(): Promise<void> {
    return this.publisher.disconnect();
  }

  async publish<T extends RoundEventType>(
    envelope: EventEnvelope<RgsRoundsPayloads[T]> & { event_type: T },
  ): Promise<void> {
    await this.publisher.publish([
      {
        topic: TOPICS.rounds.name,
        key: messageKeyOf(envelope),
        envelope: envelope as unknown as EventEnvelope,
        headers: { event_id: envelope.event_id, event_type: envelope.event_type, traceparent: TRACEPARENT },
      },
    ]);
  }
}

export const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

export function roundEnvelope<T extends RoundEventType>(
  type: T,
  payload: RgsRoundsPayloads[T],
  who: { tenantId: string; playerId: string; eventId?: string },
): EventEnvelope<RgsRoundsPayloads[T]> & { event_type: T } {
  return {
    event_id: who.eventId ?? randomUUID(),
    event_type: type,
    event_version: 1,
    occurred_at: Date.now(),
    tenant_id: who.tenantId,
    region: 'test',
    player_id: who.playerId,
    session_id: `session-${who.playerId}`,
    round_id: `round-${randomUUID()}`,
    trace_id: TRACEPARENT.split('-')[1] ?? null,
    causation_id: null,
    idempotency_key: null,
    payload,
  };
}
