import { type Transaction } from '@pitboss/event-store';
import { createTestSchema, expectEventually, type TestSchema } from '@pitboss/testing';

import { IdempotencyErrorCode } from '../core/idempotency.error';
import { idempotencyMigrations } from '../migrations/idempotency-migrations';
import { type IdempotencyOptions } from './idempotency-options';
import { aRequest, aResponse, errorCodeOf, expire, recordCount } from './postgres-idempotency.fixtures';
import { PostgresIdempotencyStore } from './postgres-idempotency.store';

describe(`${PostgresIdempotencyStore.name} executeInTransaction`, () => {
  let db: TestSchema;
  const stores = (options: Partial<IdempotencyOptions> = {}) =>
    new PostgresIdempotencyStore(db.pool, options);

  beforeEach(async () => {
    db = await createTestSchema(idempotencyMigrations, 'idem_tx');
    // The business effect a handler writes in the same transaction as its stored response.
    await db.pool.query('CREATE TABLE effects (key text PRIMARY KEY)');
  });

  afterEach(async () => {
    await db.drop();
  });

  async function effects(): Promise<string[]> {
    const { rows } = await db.pool.query<{ key: string }>('SELECT key FROM effects ORDER BY key');
    return rows.map((row) => row.key);
  }

  it('commits the effect and the stored response together, and replays without a second effect', async () => {
    const sut = stores();
    const request = aRequest();
    let calls = 0;
    const handler = async (tx: Transaction) => {
      calls += 1;
      await tx.query('INSERT INTO effects (key) VALUES ($1)', [request.key]);
      return aResponse();
    };

    const first = await sut.executeInTransaction(request, handler);
    const replay = await sut.executeInTransaction(request, handler);

    expect([first.replayed, replay.replayed]).toEqual([false, true]);
    expect(replay.response).toEqual(aResponse());
    expect(calls).toBe(1);
    expect(await effects()).toEqual([request.key]);
  });

  it('rolls the effect back and releases the key when the handler throws', async () => {
    const sut = stores();
    const request = aRequest();

    await expect(
      sut.executeInTransaction(request, async (tx) => {
        await tx.query('INSERT INTO effects (key) VALUES ($1)', [request.key]);
        throw new Error('refused after the effect');
      }),
    ).rejects.toThrow('refused after the effect');

    expect(await effects()).toEqual([]);
    expect(await recordCount(db.pool)).toBe(0);
  });

  it('rolls the effect back and releases the key when the answer is retryable', async () => {
    const sut = stores();
    const request = aRequest();
    const unavailable = aResponse({ status: 503, body: { error: { code: 'WALLET_UNAVAILABLE' } } });

    const result = await sut.executeInTransaction(request, async (tx) => {
      await tx.query('INSERT INTO effects (key) VALUES ($1)', [request.key]);
      return unavailable;
    });

    expect(result).toEqual({ response: unavailable, replayed: false });
    expect(await effects()).toEqual([]);
    expect(await recordCount(db.pool)).toBe(0);
  });

  it('rolls the effect back when its lease was taken over meanwhile', async () => {
    const sut = stores({ waitMs: 0 });
    const request = aRequest();
    let resume: () => void = () => undefined;
    let started = false;
    const stalled = sut.executeInTransaction(request, async (tx) => {
      started = true;
      await new Promise<void>((resolve) => (resume = resolve));
      await tx.query('INSERT INTO effects (key) VALUES ($1)', ['stale']);
      return aResponse({ body: { from: 'stale' } });
    });
    await expectEventually(() => expect(started).toBe(true));

    await expire(db.pool, request, 'lease_expires_at');
    await sut.executeInTransaction(request, async (tx) => {
      await tx.query('INSERT INTO effects (key) VALUES ($1)', ['retry']);
      return aResponse({ body: { from: 'retry' } });
    });
    resume();

    expect(await errorCodeOf(stalled)).toBe(IdempotencyErrorCode.InProgress);
    expect(await effects()).toEqual(['retry']);
  });
});
