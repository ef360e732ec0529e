import { type Consumer } from 'kafkajs';

import { envInt } from '@pitboss/platform-config';

/**
 * How often a consumer commits the offsets it has resolved (`KAFKA_CONSUMER_COMMIT_INTERVAL_MS`, default 1000;
 * 0 commits after every chunk, as kafkajs's own auto-commit does after every batch).
 */
export function consumerCommitIntervalMs(
  env: Readonly<Record<string, string | undefined>> = process.env,
): number {
  const interval = envInt('KAFKA_CONSUMER_COMMIT_INTERVAL_MS', 1_000, env);
  if (interval < 0) throw new RangeError('KAFKA_CONSUMER_COMMIT_INTERVAL_MS must not be negative');
  return interval;
}

export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to consume, as Kafka stores it (the last applied offset + 1). */
  readonly offset: string;
}

/** Sends one offset commit to the group coordinator. */
export type CommitOffsets = (offsets: TopicPartitionOffset[]) => Promise<void>;

/**
 * Commits resolved offsets at most once per interval instead of after every batch. At a few messages per batch
 * each commit was a broker write (to `__consumer_offsets`) and a round trip for only a message or two. Nothing is
 * lost by waiting: an offset is resolved only after its message was applied, and what was applied but not yet
 * committed when a process dies or a partition moves is delivered again and absorbed by the inbox (every
 * consumer's handlers are idempotent). A graceful stop flushes first, so a clean restart redelivers nothing.
 */
export class OffsetCommitter {
  private readonly pending = new Map<string, TopicPartitionOffset>();
  private lastCommitAt = Date.now();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly consumer: Consumer,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Commits what is pending once per interval while the consumer is idle too (the tail of a burst). */
  start(): void {
    if (this.intervalMs === 0 || this.timer) return;
    this.timer = setInterval(() => void this.commitIfDue(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** `offset` (of a physical topic's partition) and everything before it was applied. */
  resolved(topic: string, partition: number, offset: string): void {
    this.pending.set(`${topic}:${partition}`, { topic, partition, offset: (BigInt(offset) + 1n).toString() });
  }

  /**
   * After a rebalance: what was resolved under the old assignment is not committed any more (a partition may
   * have a new owner now, whose commits ours must not overwrite); it is delivered again where it now lives.
   */
  forgetPending(): void {
    this.pending.clear();
  }

  commitIfDue(commit?: CommitOffsets): Promise<void> {
    return Date.now() - this.lastCommitAt >= this.intervalMs ? this.flush(commit) : Promise.resolve();
  }

  /**
   * Commits everything pending now; one commit at a time, so a later offset never lands before an earlier one.
   * `commit` defaults to the consumer's, which does nothing once the consumer is stopping: a batch still in hand
   * then passes its own (kafkajs's `eachBatch` payload), which still reaches the group.
   */
  flush(commit: CommitOffsets = (offsets) => this.consumer.commitOffsets(offsets)): Promise<void> {
    this.flushing = this.flushing.then(() => this.commitPending(commit));
    return this.flushing;
  }

  private async commitPending(commit: CommitOffsets): Promise<void> {
    this.lastCommitAt = Date.now();
    if (this.pending.size === 0) return;
    const offsets = [...this.pending.values()];
    this.pending.clear();
    try {
      await commit(offsets);
    } catch (error) {
      // Typically a rebalance: the partitions' new owner starts from the last commit and its inbox absorbs the
      // redelivery. Offsets resolved since then are committed next time; a later offset covers an earlier one.
      this.onError(error);
    }
  }
}

/** The offsets as kafkajs's `eachBatch` payload takes them: grouped by topic. */
export function byTopic(
  offsets: readonly TopicPartitionOffset[],
): { topic: string; partitions: { partition: number; offset: string }[] }[] {
  const topics = new Map<string, { partition: number; offset: string }[]>();
  for (const { topic, partition, offset } of offsets) {
    const partitions = topics.get(topic) ?? [];
    partitions.push({ partition, offset });
    topics.set(topic, partitions);
  }
  return [...topics].map(([topic, partitions]) => ({ topic, partitions }));
}
