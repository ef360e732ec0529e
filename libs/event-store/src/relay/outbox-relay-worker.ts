import { Client } from 'pg';

import { backoffDelayMs } from '@pitboss/messaging';

import { assertSchemaName, preparedStatementsOn } from '../database';
import { PreparedStatementClient } from '../prepared-statement-client';
import { InterruptibleSleep } from './interruptible-sleep';
import { PollPacing } from '../poll-pacing';
import { type OutboxMessage, type PublishBatch, type RelayObserver } from './outbox-message';

export interface RelaySource {
  /** Schema holding the outbox; also the source's name in metrics and its lock key. */
  readonly schema: string;
  readonly databaseUrl: string;
}

export interface RelayOptions {
  readonly batchSize: number;
  /** Poll interval while the source is busy: the pick-up delay of a committed row under traffic. */
  readonly pollIntervalMs: number;
  /** Poll interval once the source has had no rows for `idleAfterMs` (see PollPacing). */
  readonly idlePollIntervalMs: number;
  readonly idleAfterMs: number;
  /** How often a standby tries to take over the source's lock. */
  readonly standbyRetryMs: number;
  readonly maxBackoffMs: number;
}

/** Advisory-lock namespace of relays (the two-key form keeps it apart from other advisory locks). */
const RELAY_LOCK_NAMESPACE = 7_311;

/**
 * Moves one source's outbox to Kafka. At most one worker per source is active: it holds a session advisory
 * lock on its own connection, so a dead worker's lock goes with its connection and a standby takes over.
 *
 * Rows are read in position order and deleted only after Kafka acknowledged them. No row is ever skipped,
 * whatever order transactions commit in: there is no high-water mark to jump past a row that commits late,
 * because every row still in the table is still to be published. A crash between the acknowledgement and the
 * delete re-sends that batch; consumers absorb it through their inbox. Events of one stream are published in
 * stream order: a later append waits for the earlier one's commit, so its rows get higher positions.
 */
export class OutboxRelayWorker {
  private stopping = false;
  private readonly sleeper = new InterruptibleSleep();
  private running: Promise<void> | undefined;
  private client: Client | undefined;
  private readonly pacing: PollPacing;
  /** Rows Kafka acknowledged, deleted by the next read in the same statement (one transaction per batch). */
  private published: readonly string[] = [];

  constructor(
    private readonly source: RelaySource,
    private readonly publish: PublishBatch,
    private readonly options: RelayOptions,
    private readonly observer: RelayObserver,
  ) {
    assertSchemaName(source.schema);
    this.pacing = new PollPacing({
      busyIntervalMs: options.pollIntervalMs,
      idleIntervalMs: options.idlePollIntervalMs,
      idleAfterMs: options.idleAfterMs,
    });
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Finishes the batch in hand (publish and delete), then releases the lock. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.sleeper.wake();
    await this.running;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        await this.connect();
        if (await this.tryTakeLock()) {
          failures = 0;
          this.observer.roleChanged(this.source.schema, 'active');
          await this.relayUntilStopped();
        } else {
          this.observer.roleChanged(this.source.schema, 'standby');
          await this.sleeper.sleep(this.options.standbyRetryMs);
        }
      } catch (error) {
        this.observer.connectionLost(this.source.schema, error);
        await this.disconnect();
        await this.sleeper.sleep(this.backoff(++failures));
      }
    }
    await this.disconnect();
    this.observer.roleChanged(this.source.schema, 'stopped');
  }

  private async connect(): Promise<void> {
    if (this.client) return;
    const ClientClass = preparedStatementsOn() ? PreparedStatementClient : Client;
    const client = new ClientClass({
      connectionString: this.source.databaseUrl,
      options: `-c search_path=${this.source.schema}`,
      application_name: `outbox-relay:${this.source.schema}`,
    });
    // Without a listener a dropped connection would crash the process; the next query fails and we reconnect.
    client.on('error', (error) => this.observer.connectionLost(this.source.schema, error));
    await client.connect();
    this.client = client;
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    // Whoever holds the lock next starts from the table as it is: a batch acknowledged but not deleted goes again.
    this.published = [];
    await client?.end().catch(() => undefined);
  }

  private async tryTakeLock(): Promise<boolean> {
    const result = await this.requireClient().query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
      [RELAY_LOCK_NAMESPACE, this.source.schema],
    );
    return result.rows[0]?.locked === true;
  }

  /**
   * After a full batch more rows are probably waiting, so the next batch is read while this one is being published
   * (Kafka's acknowledgement and Postgres's read overlap instead of taking turns). Publishing stays one batch at a
   * time, in order. After a partial batch the source has caught up: the relay waits `pollIntervalMs` instead, so
   * that live traffic is sent in fewer, larger requests.
   */
  private async relayUntilStopped(): Promise<void> {
    let attempt = 0;
    let batch = await this.nextBatch();
    while (!this.stopping) {
      this.observer.outboxLag(this.source.schema, batch[0] ? Date.now() - batch[0].createdAt.getTime() : 0);
      if (batch.length === 0) {
        await this.sleeper.sleep(this.pacing.nextDelayMs());
        batch = await this.nextBatch();
        continue;
      }
      this.pacing.sawRows();
      const full = batch.length >= this.options.batchSize;
      const inFlight = batch.map((message) => message.position);
      const [published, readAhead] = await Promise.allSettled([
        this.publish(batch),
        full ? this.nextBatch(inFlight) : Promise.resolve(undefined),
      ]);
      // A lost connection: run() reconnects, and the batch, acknowledged or not, is still in the table.
      if (readAhead.status === 'rejected') throw readAhead.reason;
      if (published.status === 'rejected') {
        // Never skip: order and completeness matter more than throughput. Keep the rows, count, back off; the
        // batch read ahead is dropped (its rows stay in the table) and the failed one is read again first.
        this.observer.publishFailed(this.source.schema, published.reason, ++attempt);
        await this.recordFailure(batch, published.reason);
        await this.sleeper.sleep(this.backoff(attempt));
        batch = await this.nextBatch();
        continue;
      }
      attempt = 0;
      this.published = inFlight;
      this.observer.published(this.source.schema, batch, new Date());
      if (readAhead.value) {
        batch = readAhead.value;
      } else {
        await this.sleeper.sleep(this.options.pollIntervalMs);
        batch = await this.nextBatch();
      }
    }
    // Stopping: the last batch is deleted before the lock goes, so a standby taking over does not send it again.
    await this.requireClient().query('DELETE FROM outbox WHERE position = ANY($1::bigint[])', [
      this.published,
    ]);
    this.published = [];
  }

  /**
   * Deletes the rows of the last acknowledged batch and reads the next one in one statement, so a batch costs one
   * transaction instead of two. (The CTE's delete always runs; the read sees the snapshot from before it, hence the
   * filter.) Rows `inFlight` (being published while this reads ahead) are left out. A crash after an
   * acknowledgement re-sends that batch, as it always could.
   */
  private async nextBatch(inFlight: readonly string[] = []): Promise<OutboxMessage[]> {
    const acknowledged = this.published;
    this.published = [];
    const result = await this.requireClient().query(
      `WITH published AS (DELETE FROM outbox WHERE position = ANY($2::bigint[]))
       SELECT position, topic, message_key, envelope, headers, created_at FROM outbox
       WHERE position <> ALL($2::bigint[]) AND position <> ALL($3::bigint[]) ORDER BY position LIMIT $1`,
      [this.options.batchSize, acknowledged, inFlight],
    );
    this.observer.batchRead(this.source.schema, result.rows.length);
    return result.rows.map((row) => ({
      position: row.position,
      topic: row.topic,
      key: row.message_key,
      envelope: row.envelope,
      headers: row.headers,
      createdAt: row.created_at,
    }));
  }

  private async recordFailure(batch: readonly OutboxMessage[], error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    await this.requireClient().query(
      'UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE position = ANY($1::bigint[])',
      [batch.map((row) => row.position), message.slice(0, 2_000)],
    );
  }

  private backoff(attempt: number): number {
    return backoffDelayMs(attempt, { initialMs: 100, maxMs: this.options.maxBackoffMs });
  }

  private requireClient(): Client {
    if (!this.client) throw new Error('relay is not connected');
    return this.client;
  }
}
