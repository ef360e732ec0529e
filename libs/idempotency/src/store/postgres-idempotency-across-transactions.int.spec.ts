import { withTransaction } from '@pitboss/event-store';
import { createTestSchema, expectEventually, type TestSchema } from '@pitboss/testing';

import { type StoredResponse } from '../core/stored-response';
import { idempotencyMigrations } from '../migrations/idempotency-migrations';
import { type KeyAcrossTransactions } from './key-across-transactions';
import { aRequest, aResponse, recordCount } from './postgres-idempotency.fixtures';
import { PostgresIdempotencyStore } from './postgres-idempotency.store';

/** The shape of authorize: an intent transaction, a call outside any transaction, an outcome transaction. */
describe(`${PostgresIdempotencyStore.name} executeCompletingIn`, () => {
  let db: TestSchema;
  let sut: PostgresIdempotencyStore;

  beforeEach(async () => {
    db = await createTestSchema(idempotencyMigrations, 'idem_steps');
    await db.pool.query('CREATE TABLE effects (step text PRIMARY KEY)');
    sut = new PostgresIdempotencyStore(db.pool, { waitMs: 5_000, pollIntervalMs: 20 });
  });

  afterEach(async () => {
    await db.drop();
  });

  const effects = async () =>
    (await db.pool.query<{ step: string }>('SELECT step FROM effects ORDER BY step')).rows.map((r) => r.step);
  /** The transaction that wrote a row's current version. */
  const writerOf = async (sql: string) => (await db.pool.query<{ xid: string }>(sql)).rows[0]?.xid;

  /** Intent, then `between` (the wallet call), then the outcome with the answer in its transaction. */
  function twoStepHandler(between: () => Promise<void> = async () => undefined, answer = aResponse()) {
    let calls = 0;
    const handle = async (key: KeyAcrossTransactions): Promise<StoredResponse> => {
      calls += 1;
      await withTransaction(db.pool, (tx) => tx.query(`INSERT INTO effects (step) VALUES ('intent')`));
      await between();
      await withTransaction(db.pool, async (tx) => {
        await tx.query(`INSERT INTO effects (step) VALUES ('outcome')`);
        await key.completeIn(tx, answer);
      });
      return answer;
    };
    return { handle, calls: () => calls };
  }

  it('stores the answer in the outcome transaction, and replays it without a second execution', async () => {
    const request = aRequest();
    const handler = twoStepHandler();

    const first = await sut.executeCompletingIn(request, handler.handle);
    const replay = await sut.executeCompletingIn(request, handler.handle);

    expect(await writerOf('SELECT xmin::text AS xid FROM idempotency_records')).toBe(
      await writerOf(`SELECT xmin::text AS xid FROM effects WHERE step = 'outcome'`),
    );
    expect([first.replayed, replay.replayed]).toEqual([false, true]);
    expect(replay.response).toEqual(first.response);
    expect(first.response).toEqual(aResponse());
    expect(handler.calls()).toBe(1);
  });

  it('stores an answer the handler did not store itself (a refusal before any outcome)', async () => {
    const request = aRequest();
    const refused = aResponse({ status: 422, body: { error: { code: 'SESSION_EXPIRED' } } });
    let calls = 0;
    const handle = async () => {
      calls += 1;
      return refused;
    };

    const first = await sut.executeCompletingIn(request, handle);
    const replay = await sut.executeCompletingIn(request, handle);

    expect(first).toEqual({ response: refused, replayed: false });
    expect(replay).toEqual({ response: refused, replayed: true });
    expect(calls).toBe(1);
  });

  it('runs concurrent requests with one key once: the other waits for the answer and replays it', async () => {
    const request = aRequest();
    let releaseCall!: () => void;
    const callReturns = new Promise<void>((resolve) => (releaseCall = resolve));
    let inCall = false;
    const handler = twoStepHandler(async () => {
      inCall = true;
      await callReturns;
    });

    const first = sut.executeCompletingIn(request, handler.handle);
    await expectEventually(() => expect(inCall).toBe(true));
    const second = sut.executeCompletingIn(request, handler.handle);
    await new Promise((resolve) => setTimeout(resolve, 100));
    releaseCall();

    const answers = await Promise.all([first, second]);
    expect(answers.map((answer) => answer.replayed)).toEqual([false, true]);
    expect(answers[1]!.response).toEqual(answers[0]!.response);
    expect(handler.calls()).toBe(1);
    expect(await effects()).toEqual(['intent', 'outcome']);
  });

  it('releases the key for a retryable answer: the retry executes again', async () => {
    const request = aRequest();
    const unavailable = aResponse({ status: 503, body: { error: { code: 'WALLET_UNAVAILABLE' } } });
    let calls = 0;
    const handle = async (key: KeyAcrossTransactions) => {
      calls += 1;
      await withTransaction(db.pool, (tx) => key.completeIn(tx, unavailable));
      return unavailable;
    };

    const first = await sut.executeCompletingIn(request, handle);
    expect(await recordCount(db.pool)).toBe(0);
    const retry = await sut.executeCompletingIn(request, handle);

    expect([first, retry]).toEqual([
      { response: unavailable, replayed: false },
      { response: unavailable, replayed: false },
    ]);
    expect(calls).toBe(2);
  });

  it('rolls the answer back with its transaction and releases the key when the outcome fails', async () => {
    const request = aRequest();

    await expect(
      sut.executeCompletingIn(request, async (key) =>
        withTransaction(db.pool, async (tx) => {
          await key.completeIn(tx, aResponse());
          throw new Error('the outcome append failed');
        }),
      ),
    ).rejects.toThrow('the outcome append failed');

    expect(await recordCount(db.pool)).toBe(0);
  });
});
