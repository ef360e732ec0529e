import { type Kafka } from 'kafkajs';

import { type EventEnvelope } from '@pitboss/contracts';

import { type ConsumedEventContext, messageOf } from './consumer/consumed-message';
import { ConsumerEngine, type ConsumerEngineOptions } from './consumer/consumer-engine';
import { type EventCodec } from './event-codec';
import { type TopicNaming } from './topic-naming';

export { type ConsumedEventContext } from './consumer/consumed-message';

export type EventHandler = (envelope: EventEnvelope, context: ConsumedEventContext) => Promise<void>;

export interface EventConsumerOptions extends Omit<
  ConsumerEngineOptions,
  'maxBatchSize' | 'partitionsConsumedConcurrently'
> {
  readonly handler: EventHandler;
}

/**
 * The per-message consumer: the handler sees one event at a time and owns its transaction (with `processOnce`,
 * one Postgres transaction per message). Same engine as the batched transport (libs/messaging/src/transport):
 * at-least-once, retries with backoff, then `<topic>.dlq` (an undecodable message or a NonRetryableError at
 * once); if the DLQ write fails the offset is not committed and the message comes again. Offsets are committed
 * after the messages they cover were handled. Handlers must be idempotent (see `processOnce`): redelivery after a
 * crash is normal. Services with a database prefer the transport: one transaction per batch.
 */
export class EventConsumer {
  private readonly engine: ConsumerEngine;

  constructor(kafka: Kafka, codec: EventCodec, naming: TopicNaming, options: EventConsumerOptions) {
    const { handler, ...engineOptions } = options;
    this.engine = new ConsumerEngine(kafka, codec, naming, engineOptions, {
      applyOne: ({ envelope, context }) => handler(envelope, context),
    });
  }

  start(): Promise<void> {
    return this.engine.start();
  }

  /**
   * `start` without waiting for it, retrying until it joins. Joining can take a whole session timeout after a
   * replica died, and a service's probes and timers must not wait for that. `stop` waits for the attempts to end.
   */
  startInBackground(report: {
    onStarted(): void;
    onFailedAttempt(attempt: number, error: unknown): void;
  }): void {
    this.engine.startInBackground(report);
  }

  /**
   * `startInBackground`, telling `logger` once the consumer joined (`consuming <what>`) and of every failed
   * attempt; `onStarted` runs once it joined.
   */
  startInBackgroundLogged(
    logger: { log(message: string): void; warn(message: string): void },
    what: string,
    onStarted: () => void = () => undefined,
  ): void {
    this.startInBackground({
      onStarted: () => {
        onStarted();
        logger.log(`consuming ${what}`);
      },
      onFailedAttempt: (attempt, error) =>
        logger.warn(`consumer start attempt ${attempt} failed: ${messageOf(error)}`),
    });
  }

  /** Lets the message in hand finish, commits offsets, then leaves the group. */
  stop(): Promise<void> {
    return this.engine.stop();
  }
}
