import { randomUUID } from 'node:crypto';

import { eventStoreMigrations, PostgresEventStore, withTransaction } from '@pitboss/event-store';
import { createTestSchema, expectEventually, type TestSchema } from '@pitboss/testing';

import { idempotencyMigrations } from '../migrations/idempotency-migrations';
import { type KeyAcrossTransactions } from './key-across-transactions';
import { aRequest, aResponse } from './postgres-idempotency.fixtures';
import { PostgresIdempotencyStore } from './postgres-idempotency.store';

// A type of no topic: the append writes no outbox row, which these tests do not need.
const settled = { type: 'test.settled', data: { reason: 'test' } };

/** Settle's one transaction: the key claimed by the stream's read (`claimWrite`), answered by the append. */
describe(`${PostgresIdempotencyStore.name} executeCompletingIn, claimed in the stream's read`, () => {
  let db: TestSchema;
  let sut: PostgresIdempotencyStore;
  const events = new PostgresEventStore({ region: 'eu-test' });

  beforeEach(async () => {
    db = await createTestSchema([...eventStoreMigrations, ...idempotencyMigrations], 'idem_read');
    sut = new PostgresIdempotencyStore(db.pool, { waitMs: 5_000, pollIntervalMs: 20 });
  });

  afterEach(async () => {
    await db.drop();
  });

  /**
   * Reads the stream with the claim, runs `between`, appends with the answer; counts the runs that claimed, and
   * its statements.
   */
  function settling(streamId: string, between: () => Promise<void> = async () => undefined) {
    const probe = { runs: 0, statements: [] as string[] };
    const handle = async (key: KeyAcrossTransactions) => {
      const answer = aResponse();
      await withTransaction(db.pool, async (tx) => {
        const recording = {
          query: (text: string, values: unknown[]) => {
            probe.statements.push(text);
            return tx.query(text, values);
          },
        } as unknown as typeof tx;
        const write = key.claimWrite();
        if (write === undefined) throw new Error('a key claimed apart: not this test');
        const read = await events.readStreamWith(recording, streamId, write);
        key.claimedBy(read.written);
        probe.runs += 1;
        await between();
        const { written } = await events.appendToStream(
          recording,
          streamId,
          read.events.length === 0 ? 'no_stream' : read.events.length,
          [settled],
          { tenantId: 'tenant-a' },
          undefined,
          key.completion(answer),
        );
        key.completedBy(answer, written);
      });
      return answer;
    };
    return { probe, handle };
  }

  it('claims in the read, answers in the append, and replays without running again', async () => {
    const request = aRequest();
    const streamId = `bet-${randomUUID()}`;
    const { probe, handle } = settling(streamId);

    const first = await sut.executeCompletingIn(request, handle);
    // The read with the claim, the append with the answer: the key made no statement of its own.
    expect(probe.statements).toHaveLength(2);
    const replay = await sut.executeCompletingIn(request, handle);

    expect([first.replayed, replay.replayed]).toEqual([false, true]);
    expect(replay.response).toEqual(first.response);
    expect(probe.runs).toBe(1);
    expect(await events.readStream(db.pool, streamId)).toHaveLength(1);
  });

  it('refuses a key reused for another request before the handler runs', async () => {
    const request = aRequest();
    const streamId = `bet-${randomUUID()}`;
    await sut.executeCompletingIn(request, settling(streamId).handle);
    const other = { ...request, requestHash: aRequest({ body: { betId: 'b-2' } }).requestHash };
    const { probe, handle } = settling(streamId);

    await expect(sut.executeCompletingIn(other, handle)).rejects.toMatchObject({
      code: 'IDEMPOTENCY_MISMATCH',
    });
    expect(probe.runs).toBe(0);
    expect(await events.readStream(db.pool, streamId)).toHaveLength(1);
  });

  it('runs concurrent requests with one key once: the second read waits on the claim, then replays', async () => {
    const request = aRequest();
    const streamId = `bet-${randomUUID()}`;
    let letFirstAppend!: () => void;
    const firstMayAppend = new Promise<void>((resolve) => (letFirstAppend = resolve));
    let firstClaimed = false;
    const first = settling(streamId, async () => {
      firstClaimed = true;
      await firstMayAppend;
    });
    const second = settling(streamId);

    const answers = [sut.executeCompletingIn(request, first.handle)];
    await expectEventually(() => expect(firstClaimed).toBe(true));
    answers.push(sut.executeCompletingIn(request, second.handle));
    await new Promise((resolve) => setTimeout(resolve, 100));
    letFirstAppend();

    const [one, two] = await Promise.all(answers);
    expect([one!.replayed, two!.replayed]).toEqual([false, true]);
    expect(two!.response).toEqual(one!.response);
    expect(await events.readStream(db.pool, streamId)).toHaveLength(1);
  });
});
