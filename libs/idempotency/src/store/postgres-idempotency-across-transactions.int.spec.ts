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

  /**
   * Intent with the key's claim, then `between` (the wallet call), then the outcome with the answer in its
   * transaction. `calls` counts the executions that got past the claim.
   */
  function twoStepHandler(between: () => Promise<void> = async () => undefined, answer = aResponse()) {
    let calls = 0;
    const handle = async (key: KeyAcrossTransactions): Promise<StoredResponse> => {
      await withTransaction(db.pool, async (tx) => {
        await key.claimIn(tx);
        calls += 1;
        await tx.query(`INSERT INTO effects (step) VALUES ('intent')`);
      });
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

  it('claims the key in the first transaction: no commit of its own', async () => {
    const request = aRequest();
    let claimWriter: string | undefined;
    const handler = twoStepHandler(async () => {
      claimWriter = await writerOf('SELECT xmin::text AS xid FROM idempotency_records');
    });

    await sut.executeCompletingIn(request, handler.handle);

    expect(claimWriter).toBeDefined();
    expect(claimWriter).toBe(await writerOf(`SELECT xmin::text AS xid FROM effects WHERE step = 'intent'`));
  });

  it('stores a refusal thrown in the first transaction, whose claim rolled back with it, and replays it', async () => {
    const request = aRequest();
    const refused = aResponse({ status: 422, body: { error: { code: 'SESSION_EXPIRED' } } });
    let calls = 0;
    const handle = async (key: KeyAcrossTransactions) => {
      try {
        await withTransaction(db.pool, async (tx) => {
          await key.claimIn(tx);
          calls += 1;
          throw new Error('session expired');
        });
      } catch {
        return refused;
      }
      throw new Error('unreachable: the transaction throws');
    };

    const first = await sut.executeCompletingIn(request, handle);
    const replay = await sut.executeCompletingIn(request, handle);

    expect(first).toEqual({ response: refused, replayed: false });
    expect(replay).toEqual({ response: refused, replayed: true });
    expect(calls).toBe(1);
  });

  it('answers a retryable refusal made before the claim only while the key has no record', async () => {
    const request = aRequest();
    const busy = aResponse({ status: 429, body: { error: { code: 'TOO_MANY_BETS_IN_FLIGHT' } } });
    const refuseBeforeClaim = async () => busy;

    const unknownKey = await sut.executeCompletingIn(request, refuseBeforeClaim);
    const first = await sut.executeCompletingIn(request, twoStepHandler().handle);
    const retryOfAnswered = await sut.executeCompletingIn(request, refuseBeforeClaim);

    expect(unknownKey).toEqual({ response: busy, replayed: false });
    expect(retryOfAnswered).toEqual({ response: first.response, replayed: true });
  });

  it('refuses a key reused for another request at the claim, before the handler records anything', async () => {
    const request = aRequest();
    await sut.executeCompletingIn(request, twoStepHandler().handle);
    const other = { ...request, requestHash: aRequest({ body: { betId: 'b-2' } }).requestHash };
    const handler = twoStepHandler();

    await expect(sut.executeCompletingIn(other, handler.handle)).rejects.toMatchObject({
      code: 'IDEMPOTENCY_MISMATCH',
    });
    expect(handler.calls()).toBe(0);
    expect(await effects()).toEqual(['intent', 'outcome']);
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
      await withTransaction(db.pool, (tx) => key.claimIn(tx));
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
          await key.claimIn(tx);
          await key.completeIn(tx, aResponse());
          throw new Error('the outcome append failed');
        }),
      ),
    ).rejects.toThrow('the outcome append failed');

    expect(await recordCount(db.pool)).toBe(0);
  });
});
