import { withTransaction } from '@pitboss/event-store';
import { createTestSchema, expectEventually, type TestSchema } from '@pitboss/testing';

import { IdempotencyErrorCode } from '../core/idempotency.error';
import { type StoredResponse } from '../core/stored-response';
import { idempotencyMigrations } from '../migrations/idempotency-migrations';
import { aRequest, aResponse, errorCodeOf, recordCount } from './postgres-idempotency.fixtures';
import { PostgresIdempotencyStore } from './postgres-idempotency.store';
import { type KeyAcrossTransactions } from './key-across-transactions';

/** A domain refusal, as the gateway's PitbossError: its transaction rolls back and it becomes the answer. */
class Refused extends Error {}

/** The shape of authorize: an intent transaction, a call outside any transaction, an outcome transaction. */
describe(`${PostgresIdempotencyStore.name} executeAcrossTransactions`, () => {
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
  const recordWriter = () => writerOf('SELECT xmin::text AS xid FROM idempotency_records');
  const effectWriter = (step: string) =>
    writerOf(`SELECT xmin::text AS xid FROM effects WHERE step = '${step}'`);

  /** Intent (claim + effect), then `between`, then outcome (effect + answer). */
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
    /** Executions: handlers past their claim (a replay's handler stops at the claim, changing nothing). */
    return { handle, calls: () => calls };
  }

  it('claims in the first transaction and stores the answer in the last: no commit of its own', async () => {
    const request = aRequest();
    let claimedBy: string | undefined;
    let intentBy: string | undefined;
    const handler = twoStepHandler(async () => {
      claimedBy = await recordWriter();
      intentBy = await effectWriter('intent');
    });

    const first = await sut.executeAcrossTransactions(request, handler.handle);
    const replay = await sut.executeAcrossTransactions(request, handler.handle);

    expect(claimedBy).toBe(intentBy);
    expect(await recordWriter()).toBe(await effectWriter('outcome'));
    expect([first.replayed, replay.replayed]).toEqual([false, true]);
    expect(replay.response).toEqual(first.response);
    expect(first.response).toEqual(aResponse());
    expect(handler.calls()).toBe(1);
  });

  it('stores a refusal whose first transaction rolled back, claim and all, and replays it', async () => {
    const request = aRequest();
    const refused = aResponse({ status: 422, body: { error: { code: 'SESSION_EXPIRED' } } });
    let calls = 0;
    const handle = async (key: KeyAcrossTransactions): Promise<StoredResponse> => {
      return withTransaction(db.pool, async (tx) => {
        await key.claimIn(tx);
        calls += 1;
        await tx.query(`INSERT INTO effects (step) VALUES ('intent')`);
        throw new Refused();
      }).catch((error: unknown) => {
        if (error instanceof Refused) return refused;
        throw error;
      });
    };

    const first = await sut.executeAcrossTransactions(request, handle);
    const replay = await sut.executeAcrossTransactions(request, handle);

    expect(first).toEqual({ response: refused, replayed: false });
    expect(replay).toEqual({ response: refused, replayed: true });
    expect(calls).toBe(1);
    expect(await effects()).toEqual([]);
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

    const first = sut.executeAcrossTransactions(request, handler.handle);
    await expectEventually(() => expect(inCall).toBe(true));
    const second = sut.executeAcrossTransactions(request, handler.handle);
    await new Promise((resolve) => setTimeout(resolve, 100));
    releaseCall();

    const answers = await Promise.all([first, second]);
    expect(answers.map((answer) => answer.replayed)).toEqual([false, true]);
    expect(answers[1]!.response).toEqual(answers[0]!.response);
    expect(handler.calls()).toBe(1);
    expect(await effects()).toEqual(['intent', 'outcome']);
  });

  it('refuses another request under a held or answered key with a mismatch, changing nothing', async () => {
    const request = aRequest();
    await sut.executeAcrossTransactions(request, twoStepHandler().handle);
    const other = twoStepHandler();

    const code = await errorCodeOf(
      sut.executeAcrossTransactions(aRequest({ key: request.key, body: { other: true } }), other.handle),
    );

    expect(code).toBe(IdempotencyErrorCode.Mismatch);
    expect(other.calls()).toBe(0);
  });

  it('releases the key for a retryable answer after the first transaction committed: the retry executes', async () => {
    const request = aRequest();
    const unavailable = aResponse({ status: 503, body: { error: { code: 'WALLET_UNAVAILABLE' } } });
    let calls = 0;
    const handle = async (key: KeyAcrossTransactions): Promise<StoredResponse> => {
      calls += 1;
      await withTransaction(db.pool, async (tx) => {
        await key.claimIn(tx);
        await tx.query(`INSERT INTO effects (step) VALUES ('intent-${calls}')`);
      });
      return unavailable;
    };

    const first = await sut.executeAcrossTransactions(request, handle);
    expect(await recordCount(db.pool)).toBe(0);
    const retry = await sut.executeAcrossTransactions(request, handle);

    expect([first, retry]).toEqual([
      { response: unavailable, replayed: false },
      { response: unavailable, replayed: false },
    ]);
    expect(calls).toBe(2);
    expect(await effects()).toEqual(['intent-1', 'intent-2']);
  });

  it('releases the key when the handler throws after its claim committed', async () => {
    const request = aRequest();

    await expect(
      sut.executeAcrossTransactions(request, async (key) => {
        await withTransaction(db.pool, (tx) => key.claimIn(tx));
        throw new Error('the wallet call failed unexpectedly');
      }),
    ).rejects.toThrow('the wallet call failed unexpectedly');

    expect(await recordCount(db.pool)).toBe(0);
  });
});
