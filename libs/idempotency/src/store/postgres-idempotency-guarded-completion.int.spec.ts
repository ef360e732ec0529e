import { randomUUID } from 'node:crypto';

import { eventStoreMigrations, PostgresEventStore, withTransaction } from '@pitboss/event-store';
import { createTestSchema, type TestSchema } from '@pitboss/testing';

import { IdempotencyErrorCode } from '../core/idempotency.error';
import { type StoredResponse } from '../core/stored-response';
import { idempotencyMigrations } from '../migrations/idempotency-migrations';
import { type KeyAcrossTransactions } from './key-across-transactions';
import { aRequest, aResponse, recordCount } from './postgres-idempotency.fixtures';
import { PostgresIdempotencyStore } from './postgres-idempotency.store';

// A type of no topic: the append writes no outbox row, which these tests do not need.
const outcome = { type: 'test.outcome_recorded', data: { reason: 'test' } };

/** Authorize's last step as one statement: the outcome's append carries the key's answer (`completion`). */
describe(`${PostgresIdempotencyStore.name} executeCompletingIn, answered in the outcome's append`, () => {
  let db: TestSchema;
  let sut: PostgresIdempotencyStore;
  const events = new PostgresEventStore({ region: 'eu-test' });

  beforeEach(async () => {
    db = await createTestSchema([...eventStoreMigrations, ...idempotencyMigrations], 'idem_guard');
    sut = new PostgresIdempotencyStore(db.pool, { waitMs: 5_000, pollIntervalMs: 20 });
  });

  afterEach(async () => {
    await db.drop();
  });

  /** Claims in an intent transaction, runs `between`, then appends the outcome with the answer, on the pool. */
  function handlerAppending(
    streamId: string,
    answer: StoredResponse,
    between: () => Promise<void> = async () => undefined,
  ) {
    return async (key: KeyAcrossTransactions): Promise<StoredResponse> => {
      await withTransaction(db.pool, (tx) => key.claimIn(tx));
      await between();
      const { written } = await events.appendToStream(
        db.pool,
        streamId,
        'no_stream',
        [outcome],
        { tenantId: 'tenant-a' },
        undefined,
        key.completion(answer),
      );
      key.completedBy(answer, written);
      return answer;
    };
  }

  const writerOf = async (sql: string, parameters: unknown[] = []) =>
    (await db.pool.query<{ xid: string }>(sql, parameters)).rows[0]?.xid;

  it('stores the answer in the append statement itself, and replays it', async () => {
    const request = aRequest();
    const streamId = `bet-${randomUUID()}`;

    const first = await sut.executeCompletingIn(request, handlerAppending(streamId, aResponse()));
    const replay = await sut.executeCompletingIn(request, handlerAppending(streamId, aResponse()));

    expect(await writerOf('SELECT xmin::text AS xid FROM idempotency_records')).toBe(
      await writerOf('SELECT xmin::text AS xid FROM events WHERE stream_id = $1', [streamId]),
    );
    expect([first.replayed, replay.replayed]).toEqual([false, true]);
    expect(replay.response).toEqual(first.response);
    expect(first.response).toEqual(aResponse());
    expect(await events.readStream(db.pool, streamId)).toHaveLength(1);
  });

  it('appends nothing when the key was taken over meanwhile, and answers that it is in progress', async () => {
    const request = aRequest();
    const streamId = `bet-${randomUUID()}`;
    // Another execution takes the key over while the wallet call runs (this one's lease ran out).
    const takeOver = async () => {
      await db.pool.query('UPDATE idempotency_records SET claim_id = $1', [randomUUID()]);
    };

    await expect(
      sut.executeCompletingIn(request, handlerAppending(streamId, aResponse(), takeOver)),
    ).rejects.toMatchObject({ code: IdempotencyErrorCode.InProgress });

    expect(await events.readStream(db.pool, streamId)).toHaveLength(0);
    const { rows } = await db.pool.query('SELECT state FROM idempotency_records');
    expect(rows).toEqual([{ state: 'in_progress' }]);
  });

  it('releases the key for a retryable answer in the statement of the append', async () => {
    const request = aRequest();
    const unavailable = aResponse({ status: 503, body: { error: { code: 'WALLET_UNAVAILABLE' } } });
    let released: number | undefined;
    const streamId = `bet-${randomUUID()}`;
    const handle = handlerAppending(streamId, unavailable);

    const first = await sut.executeCompletingIn(request, async (key) => {
      const answer = await handle(key);
      released = await recordCount(db.pool);
      return answer;
    });

    expect(released).toBe(0);
    expect(first).toEqual({ response: unavailable, replayed: false });
    expect(await events.readStream(db.pool, streamId)).toHaveLength(1);
  });
});
