import { type INestApplicationContext, Logger } from '@nestjs/common';
import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { type Kafka } from 'kafkajs';
import { type Registry } from 'prom-client';
import { lastValueFrom } from 'rxjs';

import { METRICS_REGISTRY } from '@pitboss/observability';

import { type DecodedMessage, messageOf } from '../consumer/consumed-message';
import { ConsumerEngine, type ConsumerEngineOptions } from '../consumer/consumer-engine';
import { type ConsumerInbox, type UnitOfWork } from '../consumer/consumer-inbox';
import { type EventSelector, transactionalProcessor } from '../consumer/transactional-processor';
import { EventCodec } from '../event-codec';
import { KAFKA } from '../messaging.tokens';
import { TopicNaming } from '../topic-naming';
import { ConsumedEvent } from './consumed-event';

/** Messages per transaction when the partition has that many waiting; fewer are never waited for. */
export const DEFAULT_MAX_BATCH_SIZE = 200;

export interface KafkaEventTransportOptions<Tx> extends Omit<ConsumerEngineOptions, 'metrics'> {
  readonly inbox: ConsumerInbox<Tx>;
  /** The consumer's name in the inbox (default: the group id). */
  readonly inboxConsumer?: string;
  /**
   * The events this group acts on (default: all): the others are skipped before the inbox, so a group that reads
   * a busy topic for a few of its events keeps no row of the rest.
   */
  readonly selects?: EventSelector;
}

/**
 * The transport id of a consumer group's transport. With more than one group in an app, each handler names its
 * group, `@EventPattern(types, consumerGroupTransport(GROUP))`: a handler that names none is served by every
 * transport of the app (Nest's rule), so its events would be handled once per group.
 */
export function consumerGroupTransport(groupId: string): symbol {
  return Symbol.for(`pitboss.consumer-group.${groupId}`);
}

export interface KafkaEventTransportDeps {
  readonly kafka: Kafka;
  readonly codec: EventCodec;
  readonly naming: TopicNaming;
  readonly metrics?: Registry;
}

/**
 * A custom transport strategy of `@nestjs/microservices` over the project's Kafka consumer: one consumer group,
 * Avro through the registry, and per partition batch ONE transaction holding the inbox rows of its messages and
 * the effects of their `@EventPattern(eventType)` handlers; offsets are committed after that transaction. An
 * event type no handler declares is recorded in the inbox and skipped. A failing batch is applied again message by
 * message (retries with backoff, then the DLQ for the one that keeps failing), so a poison message neither blocks
 * nor loses the rest. `close` (the app's shutdown) lets the batch in hand commit, or not start, never half of it.
 */
export class KafkaEventTransport<Tx = unknown> extends Server implements CustomTransportStrategy {
  private readonly engine: ConsumerEngine;
  private readonly log = new Logger('KafkaEventTransport');

  constructor(
    deps: KafkaEventTransportDeps,
    private readonly options: KafkaEventTransportOptions<Tx>,
  ) {
    super();
    this.setTransportId(consumerGroupTransport(options.groupId));
    const { inbox, inboxConsumer, selects, ...engineOptions } = options;
    this.engine = new ConsumerEngine(
      deps.kafka,
      deps.codec,
      deps.naming,
      {
        ...engineOptions,
        maxBatchSize: engineOptions.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE,
        ...(deps.metrics ? { metrics: deps.metrics } : {}),
      },
      transactionalProcessor(
        inbox,
        inboxConsumer ?? options.groupId,
        (message, unit) => this.dispatch(message, unit),
        selects,
      ),
    );
  }

  /** Joins in the background (see `ConsumerEngine.startInBackground`): probes and timers do not wait for it. */
  listen(callback: () => void): void {
    this.engine.startInBackground({
      onStarted: () =>
        this.log.log(`consuming ${listOf(this.options.topics)} (group ${this.options.groupId})`),
      onFailedAttempt: (attempt, error) =>
        this.log.warn(`consumer start attempt ${attempt} failed: ${messageOf(error)}`),
    });
    callback();
  }

  async close(): Promise<void> {
    await this.engine.stop();
  }

  on(): never {
    throw new Error('KafkaEventTransport emits no events');
  }

  unwrap<T>(): T {
    return this.engine.consumer as T;
  }

  private async dispatch(message: DecodedMessage, unit: UnitOfWork<Tx>): Promise<void> {
    const handler = this.getHandlerByPattern(message.envelope.event_type);
    // Not a type this service handles: its inbox row, recorded by the claim, is the whole effect.
    if (!handler) return;
    const result = await handler(message.envelope, new ConsumedEvent<Tx>([message.context, unit]));
    try {
      await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
    } catch (error) {
      if (error instanceof Error) throw error;
      // Nest's default RPC filter turned the handler's error into a plain object (see EventsController).
      throw new Error(
        `${message.envelope.event_type} handler failed: ${JSON.stringify(error)} (declare its controller with @EventsController() to keep the error)`,
      );
    }
  }
}

/** The transport of a service's Nest app: Kafka, codec, naming and metrics from the app's MessagingModule. */
export function kafkaEventTransport<Tx>(
  app: INestApplicationContext,
  options: KafkaEventTransportOptions<Tx>,
): KafkaEventTransport<Tx> {
  return new KafkaEventTransport<Tx>(
    {
      kafka: app.get<Kafka>(KAFKA),
      codec: app.get(EventCodec),
      naming: app.get(TopicNaming),
      metrics: app.get<Registry>(METRICS_REGISTRY),
    },
    options,
  );
}

/** `a`, `a and b`, `a, b and c`: the topics as the "consuming …" line names them. */
function listOf(topics: readonly string[]): string {
  return topics.length <= 1 ? topics.join('') : `${topics.slice(0, -1).join(', ')} and ${topics.at(-1)}`;
}
