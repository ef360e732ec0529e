import { type Consumer, type IHeaders, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import { type Registry } from 'prom-client';

import { type EventEnvelope } from '@pitboss/contracts';
import { inSpan, SpanKind } from '@pitboss/observability';

import { type EventCodec } from './event-codec';
import { consumerMetricsOf, type ConsumerMetrics } from './consumer-metrics';
import { createDeadLetterProducer } from './kafka-client';
import { NonRetryableError } from './non-retryable.error';
import { backoffDelayMs, type BackoffPolicy } from './retry-backoff';
import { type TopicNaming } from './topic-naming';

export interface ConsumedEventContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

export type EventHandler = (envelope: EventEnvelope, context: ConsumedEventContext) => Promise<void>;

export interface EventConsumerOptions {
  readonly groupId: string;
  /** Logical topic names. */
  readonly topics: readonly string[];
  readonly handler: EventHandler;
  /** Attempts before a message goes to the topic's `.dlq` (kept well inside the session timeout). */
  readonly maxAttempts?: number;
  readonly backoff?: BackoffPolicy;
  readonly fromBeginning?: boolean;
  readonly metrics?: Registry;
}

/**
 * At-least-once consumption of Avro events. A failing message is retried a bounded number of times, then
 * parked on `<topic>.dlq` with the error in its headers and the offset moves on; an undecodable message or a
 * NonRetryableError goes there at once. If the DLQ write itself fails, the offset is not committed and the
 * message comes again. Handlers must be idempotent (see `processOnce`): redelivery after a crash is normal.
 */
export class EventConsumer {
  private readonly consumer: Consumer;
  private readonly dlqProducer: Producer;
  private readonly metrics?: ConsumerMetrics;
  private starting?: Promise<void>;
  private stopping = false;

  constructor(
    kafka: Kafka,
    private readonly codec: EventCodec,
    private readonly naming: TopicNaming,
    private readonly options: EventConsumerOptions,
  ) {
    this.consumer = kafka.consumer({
      groupId: naming.physical(options.groupId),
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    });
    this.dlqProducer = createDeadLetterProducer(kafka);
    if (options.metrics) {
      this.metrics = consumerMetricsOf(options.metrics);
      const { lag } = this.metrics;
      // kafkajs reports each fetched batch's lag behind the partition's high watermark once it is processed.
      this.consumer.on(this.consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        lag.set(
          { topic: naming.logical(payload.topic), partition: String(payload.partition) },
          Number(payload.offsetLag),
        );
      });
    }
  }

  async start(): Promise<void> {
    await Promise.all([this.consumer.connect(), this.dlqProducer.connect()]);
    await this.consumer.subscribe({
      topics: this.options.topics.map((topic) => this.naming.physical(topic)),
      fromBeginning: this.options.fromBeginning ?? false,
    });
    await this.consumer.run({
      autoCommit: true,
      eachMessage: async ({ topic, partition, message, heartbeat }) => {
        const logical = this.naming.logical(topic);
        // A consumer span per message, a child of the relay's publish span named in the message's traceparent,
        // so what the handler does (its queries, wallet calls, appends) joins the trace of the request upstream.
        await inSpan(
          `process ${topic}`,
          {
            kind: SpanKind.CONSUMER,
            parent: headerOf(message.headers, 'traceparent') ?? null,
            attributes: {
              'messaging.system': 'kafka',
              'messaging.operation.type': 'process',
              'messaging.destination.name': topic,
              'messaging.destination.partition.id': String(partition),
              'messaging.kafka.offset': Number(message.offset),
              'messaging.consumer.group.name': this.naming.physical(this.options.groupId),
            },
          },
          () => this.handle(logical, partition, message, heartbeat),
        );
      },
    });
  }

  /**
   * `start` without waiting for it, retrying until it joins. Joining can take a whole session timeout after a
   * replica died, and a service's probes and timers must not wait for that. `stop` waits for the attempts to end.
   */
  startInBackground(report: {
    onStarted(): void;
    onFailedAttempt(attempt: number, error: unknown): void;
  }): void {
    this.starting = (async () => {
      for (let attempt = 1; !this.stopping; attempt++) {
        try {
          await this.start();
          report.onStarted();
          return;
        } catch (error) {
          report.onFailedAttempt(attempt, error);
          await new Promise((resolve) => setTimeout(resolve, Math.min(1_000 * attempt, 10_000)));
        }
      }
    })();
  }

  /** Lets the message in hand finish, commits offsets, then leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.starting;
    await this.consumer.disconnect();
    await this.dlqProducer.disconnect();
  }

  private async handle(
    topic: string,
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const context: ConsumedEventContext = {
      topic,
      partition,
      offset: message.offset,
      key: message.key?.toString() ?? null,
      headers: stringHeaders(message.headers),
    };
    const maxAttempts = this.options.maxAttempts ?? 5;
    let envelope: EventEnvelope;
    try {
      envelope = await this.codec.decode(message.value ?? Buffer.alloc(0));
    } catch (error) {
      return this.deadLetter(
        topic,
        message,
        context,
        new NonRetryableError(`undecodable message: ${messageOf(error)}`),
        1,
      );
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.handler(envelope, context);
        this.metrics?.outcomes.inc({ topic, outcome: 'processed' });
        return;
      } catch (error) {
        if (error instanceof NonRetryableError || attempt >= maxAttempts)
          return this.deadLetter(topic, message, context, error, attempt);
        this.metrics?.outcomes.inc({ topic, outcome: 'retried' });
        const delayMs = backoffDelayMs(attempt, this.options.backoff ?? { initialMs: 100, maxMs: 2_000 });
        this.metrics?.backoff.inc({ topic }, delayMs / 1_000);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        await heartbeat();
      }
    }
  }

  private async deadLetter(
    topic: string,
    message: KafkaMessage,
    context: ConsumedEventContext,
    error: unknown,
    attempts: number,
  ): Promise<void> {
    await this.dlqProducer.send({
      topic: this.naming.deadLetter(topic),
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            'dlq-error': messageOf(error).slice(0, 2_000),
            'dlq-error-type': error instanceof Error ? error.name : 'Error',
            'dlq-original-topic': this.naming.physical(topic),
            'dlq-original-partition': String(context.partition),
            'dlq-original-offset': context.offset,
            'dlq-consumer-group': this.naming.physical(this.options.groupId),
            'dlq-attempts': String(attempts),
            'dlq-failed-at': new Date().toISOString(),
          },
        },
      ],
    });
    this.metrics?.outcomes.inc({ topic, outcome: 'dead_lettered' });
  }
}

function headerOf(headers: IHeaders | undefined, name: string): string | undefined {
  // eslint-disable-next-line security/detect-object-injection -- name is a header name from code
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.toString();
}

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  // Defined, not assigned: a header named `__proto__` (headers come off the wire) stays an ordinary key.
  return Object.fromEntries(
    Object.entries(headers ?? {}).flatMap(([name, value]) => {
      const first = Array.isArray(value) ? value[0] : value;
      return first === undefined ? [] : [[name, first.toString()]];
    }),
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
