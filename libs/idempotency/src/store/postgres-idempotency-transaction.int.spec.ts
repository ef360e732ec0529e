import { type Transaction } from '@pitboss/event-store';
import { createTestSchema, expectEventually, type TestSchema } from '@pitboss/testing';

import { IdempotencyErrorCode } from '../core/idempotency.error';
import { idempotencyMigrations } from '../migrations/idempotency-migrations';
import { type IdempotencyOptions } from './idempotency-options';
import { aRequest, aResponse, errorCodeOf, recordCount } from './postgres-idempotency.fixtures';
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

  /** An execution whose handler stops after its effect until `resume` is called. */
  function stalledExecution(sut: PostgresIdempotencyStore, request = aRequest()) {
    const control = { started: false, resume: () => undefined as void };
    const result = sut.executeInTransaction(request, async (tx) => {
      await tx.query('INSERT INTO effects (key) VALUES ($1)', ['first']);
      control.started = true;
      await new Promise<void>((resolve) => (control.resume = resolve));
      return aResponse({ body: { from: 'first' } });
    });
    return { control, result };
  }

  it('claims the key in the transaction of the effect: nothing is committed while the handler runs', async () => {
    const { control, result } = stalledExecution(stores());
    await expectEventually(() => expect(control.started).toBe(true));

    const whileRunning = await recordCount(db.pool);
    control.resume();
    await result;

    expect(whileRunning).toBe(0);
    expect(await recordCount(db.pool)).toBe(1);
  });

  it('has a concurrent duplicate wait for the running execution and replay its answer, one effect', async () => {
    const sut = stores({ waitMs: 0 });
    const request = aRequest();
    const first = stalledExecution(sut, request);
    await expectEventually(() => expect(first.control.started).toBe(true));
    let duplicateRan = false;
    let duplicateSettled = false;
    const duplicate = sut
      .executeInTransaction(request, async (tx) => {
        duplicateRan = true;
        await tx.query('INSERT INTO effects (key) VALUES ($1)', ['duplicate']);
        return aResponse({ body: { from: 'duplicate' } });
      })
      .finally(() => (duplicateSettled = true));

    await new Promise((resolve) => setTimeout(resolve, 300));
    const settledBeforeFirst = duplicateSettled;
    first.control.resume();

    expect(settledBeforeFirst).toBe(false);
    expect(await duplicate).toEqual({ response: aResponse({ body: { from: 'first' } }), replayed: true });
    expect(await first.result).toEqual({ response: aResponse({ body: { from: 'first' } }), replayed: false });
    expect(duplicateRan).toBe(false);
    expect(await effects()).toEqual(['first']);
  });

  it('has a concurrent duplicate execute itself when the running execution rolls back', async () => {
    const sut = stores({ waitMs: 0 });
    const request = aRequest();
    let fail: (error: Error) => void = () => undefined;
    let started = false;
    const first = sut.executeInTransaction(request, async (tx) => {
      await tx.query('INSERT INTO effects (key) VALUES ($1)', ['first']);
      started = true;
      await new Promise<void>((_, reject) => (fail = reject));
      return aResponse();
    });
    await expectEventually(() => expect(started).toBe(true));
    const duplicate = sut.executeInTransaction(request, async (tx) => {
      await tx.query('INSERT INTO effects (key) VALUES ($1)', ['duplicate']);
      return aResponse({ body: { from: 'duplicate' } });
    });

    fail(new Error('refused after the effect'));

    await expect(first).rejects.toThrow('refused after the effect');
    expect(await duplicate).toEqual({
      response: aResponse({ body: { from: 'duplicate' } }),
      replayed: false,
    });
    expect(await effects()).toEqual(['duplicate']);
  });

  it('refuses a concurrent request with the same key and another body once the running one commits', async () => {
    const sut = stores({ waitMs: 0 });
    const request = aRequest();
    const first = stalledExecution(sut, request);
    await expectEventually(() => expect(first.control.started).toBe(true));
    const other = sut.executeInTransaction({ ...request, requestHash: 'b'.repeat(64) }, async () =>
      aResponse(),
    );

    first.control.resume();

    expect(await errorCodeOf(other)).toBe(IdempotencyErrorCode.Mismatch);
    expect((await first.result).replayed).toBe(false);
    expect(await effects()).toEqual(['first']);
  });
});
