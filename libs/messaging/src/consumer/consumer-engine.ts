import { type Consumer, type EachBatchPayload, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import { type Registry } from 'prom-client';

import { type EventCodec } from '../event-codec';
import { consumerMetricsOf, type ConsumerMetrics } from '../consumer-metrics';
import { createDeadLetterProducer } from '../kafka-client';
import { NonRetryableError } from '../non-retryable.error';
import { backoffDelayMs, type BackoffPolicy } from '../retry-backoff';
import { type TopicNaming } from '../topic-naming';
import { contextOf, type DecodedMessage, messageOf } from './consumed-message';
import { DeadLetters } from './dead-letters';
import { type DeliveryPace, fetchSettingsOf } from './delivery-pace';
import { inMessageSpan } from './message-span';
import {
  byTopic,
  consumerCommitIntervalMs,
  OffsetCommitter,
  type TopicPartitionOffset,
} from './offset-committer';

/** What the engine does with decoded messages; it owns the Kafka side (offsets, retries, dead letters). */
export interface MessageProcessor {
  /**
   * Applies a whole chunk of one partition at once (one transaction), or rejects having changed nothing; the
   * engine then applies the chunk's messages one by one. Absent: always one by one.
   */
  readonly applyAll?: (messages: readonly DecodedMessage[]) => Promise<void>;
  /** Applies one message; the engine retries it with backoff, then dead-letters it. */
  readonly applyOne: (message: DecodedMessage) => Promise<void>;
}

export interface ConsumerEngineOptions {
  readonly groupId: string;
  /** Logical topic names. */
  readonly topics: readonly string[];
  /** Attempts before a message goes to the topic's `.dlq` (kept well inside the session timeout). */
  readonly maxAttempts?: number;
  readonly backoff?: BackoffPolicy;
  readonly fromBeginning?: boolean;
  readonly metrics?: Registry;
  /** Most messages handed to `applyAll` at once (default 1: message by message). */
  readonly maxBatchSize?: number;
  /** Partitions whose batches are processed at the same time (default 1, as kafkajs). */
  readonly partitionsConsumedConcurrently?: number;
  /** Resolved offsets are committed at most this often (default `KAFKA_CONSUMER_COMMIT_INTERVAL_MS`, 1000). */
  readonly commitIntervalMs?: number;
  /** Whether someone waits on this consumer's messages (default `prompt`; see DeliveryPace). */
  readonly delivery?: DeliveryPace;
}

interface Chunk {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly KafkaMessage[];
}

/** A message the registry could not decode: it goes to the DLQ at once. */
interface Undecodable {
  readonly undecodable: NonRetryableError;
  readonly message: KafkaMessage;
}

/** Parked on the DLQ already (an undecodable message of a chunk whose all-at-once attempt failed). */
const PARKED = Symbol('parked');

type Entry = DecodedMessage | Undecodable | typeof PARKED;

/**
 * At-least-once consumption of Avro events with kafkajs `eachBatch`. Each fetched partition batch is cut into
 * chunks of `maxBatchSize`; a chunk is decoded, applied (all at once when the processor can, else one by one) and
 * only then are its offsets resolved; they are committed at most once per `commitIntervalMs` (OffsetCommitter), so
 * a crash or a rebalance redelivers what was not committed, and a graceful stop commits everything applied.
 * A failing message is retried a bounded number of times, then parked on `<topic>.dlq` and the offset moves on;
 * an undecodable message or a NonRetryableError goes there at once. If the DLQ write fails the offset is not
 * committed and the message comes again. Stopping lets the chunk in hand finish, never a part of it.
 */
export class ConsumerEngine {
  readonly consumer: Consumer;
  private readonly dlqProducer: Producer;
  private readonly deadLetters: DeadLetters;
  private readonly metrics?: ConsumerMetrics;
  private readonly offsets: OffsetCommitter;
  private starting?: Promise<void>;
  private stopping = false;

  constructor(
    kafka: Kafka,
    private readonly codec: EventCodec,
    private readonly naming: TopicNaming,
    private readonly options: ConsumerEngineOptions,
    private readonly processor: MessageProcessor,
  ) {
    this.consumer = kafka.consumer({
      groupId: naming.physical(options.groupId),
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      ...fetchSettingsOf(options.delivery ?? 'prompt'),
    });
    this.dlqProducer = createDeadLetterProducer(kafka);
    this.offsets = new OffsetCommitter(
      this.consumer,
      options.commitIntervalMs ?? consumerCommitIntervalMs(),
      (error) => this.consumer.logger().warn('offset commit failed', { error: messageOf(error) }),
    );
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => this.offsets.forgetPending());
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
    this.deadLetters = new DeadLetters(this.dlqProducer, naming, options.groupId, this.metrics);
  }

  async start(): Promise<void> {
    await Promise.all([this.consumer.connect(), this.dlqProducer.connect()]);
    await this.consumer.subscribe({
      topics: this.options.topics.map((topic) => this.naming.physical(topic)),
      fromBeginning: this.options.fromBeginning ?? false,
    });
    await this.consumer.run({
      // kafkajs's auto-commit commits after every batch whatever its interval setting; OffsetCommitter paces it.
      autoCommit: false,
      // Offsets are resolved by hand, after what they cover has been applied: never a message not yet applied.
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.consumeBatch(payload),
    });
    this.offsets.start();
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

  /** Lets the chunk in hand finish, commits the offsets of what was applied, then leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.starting;
    this.offsets.stop();
    // What earlier batches applied; a batch still in hand commits its own part as it ends (it sees `stopping`).
    await this.offsets.flush();
    await this.consumer.disconnect();
    await this.dlqProducer.disconnect();
  }

  private async consumeBatch(payload: EachBatchPayload): Promise<void> {
    const commit = (offsets: TopicPartitionOffset[]) =>
      payload.commitOffsetsIfNecessary({ topics: byTopic(offsets) });
    try {
      await this.consumeChunks(payload);
    } finally {
      await (this.stopping ? this.offsets.flush(commit) : this.offsets.commitIfDue(commit));
    }
  }

  private async consumeChunks(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat } = payload;
    const resolveOffset = (offset: string) => {
      payload.resolveOffset(offset);
      // As kafkajs does: the batch's last message also covers the control records a transaction put after it.
      const upTo = offset === batch.messages.at(-1)?.offset ? batch.lastOffset() : offset;
      this.offsets.resolved(batch.topic, batch.partition, upTo);
    };
    const keepGoing = () => payload.isRunning() && !payload.isStale();
    const size = Math.max(1, this.options.maxBatchSize ?? 1);
    const topic = this.naming.logical(batch.topic);
    for (let start = 0; start < batch.messages.length; start += size) {
      if (!keepGoing()) return;
      const chunk = {
        topic,
        partition: batch.partition,
        messages: batch.messages.slice(start, start + size),
      };
      const entries: Entry[] = await Promise.all(
        chunk.messages.map((message) => this.decode(chunk, batch.topic, message)),
      );
      if (await this.appliedAtOnce(chunk, entries)) resolveOffset(chunk.messages.at(-1)!.offset);
      else
        for (const [index, entry] of entries.entries()) {
          if (!keepGoing()) return;
          await this.applyOne(chunk, entry, heartbeat);
          // eslint-disable-next-line security/detect-object-injection -- index of the chunk's own messages
          resolveOffset(chunk.messages[index]!.offset);
        }
      await heartbeat();
    }
  }

  /**
   * True when the processor applied the whole chunk in one go. Undecodable messages are parked first, and marked
   * so, whatever happens next: the one-by-one fallback does not park them twice.
   */
  private async appliedAtOnce(chunk: Chunk, entries: Entry[]): Promise<boolean> {
    if (!this.processor.applyAll || entries.length < 2) return false;
    for (const [index, entry] of entries.entries()) {
      if (entry === PARKED || !('undecodable' in entry)) continue;
      await this.deadLetters.park(chunk.topic, chunk.partition, entry.message, entry.undecodable, 1);
      // eslint-disable-next-line security/detect-object-injection -- index of the chunk's own entries
      entries[index] = PARKED;
    }
    const decoded = entries.filter(
      (entry): entry is DecodedMessage => entry !== PARKED && 'envelope' in entry,
    );
    if (decoded.length === 0) return true;
    try {
      await this.processor.applyAll(decoded);
    } catch {
      // One message of the chunk fails (or the transaction does): nothing of the chunk was applied. One by one,
      // the others are applied and the failing one is retried, then dead-lettered, exactly as without batching.
      this.metrics?.outcomes.inc({ topic: chunk.topic, outcome: 'batch_fallback' });
      return false;
    }
    this.metrics?.outcomes.inc({ topic: chunk.topic, outcome: 'processed' }, decoded.length);
    return true;
  }

  private async applyOne(chunk: Chunk, entry: Entry, heartbeat: () => Promise<void>): Promise<void> {
    if (entry === PARKED) return;
    if ('undecodable' in entry)
      return this.deadLetters.park(chunk.topic, chunk.partition, entry.message, entry.undecodable, 1);
    const maxAttempts = this.options.maxAttempts ?? 5;
    await inMessageSpan(entry, async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.processor.applyOne(entry);
          this.metrics?.outcomes.inc({ topic: chunk.topic, outcome: 'processed' });
          return;
        } catch (error) {
          if (error instanceof NonRetryableError || attempt >= maxAttempts)
            return this.deadLetters.park(chunk.topic, chunk.partition, entry.message, error, attempt);
          this.metrics?.outcomes.inc({ topic: chunk.topic, outcome: 'retried' });
          const delayMs = backoffDelayMs(attempt, this.options.backoff ?? { initialMs: 100, maxMs: 2_000 });
          this.metrics?.backoff.inc({ topic: chunk.topic }, delayMs / 1_000);
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          await heartbeat();
        }
      }
    });
  }

  private async decode(
    chunk: Chunk,
    physicalTopic: string,
    message: KafkaMessage,
  ): Promise<DecodedMessage | Undecodable> {
    try {
      return {
        envelope: await this.codec.decode(message.value ?? Buffer.alloc(0)),
        context: contextOf(chunk.topic, chunk.partition, message),
        message,
        physicalTopic,
        consumerGroup: this.naming.physical(this.options.groupId),
      };
    } catch (error) {
      return { undecodable: new NonRetryableError(`undecodable message: ${messageOf(error)}`), message };
    }
  }
}
