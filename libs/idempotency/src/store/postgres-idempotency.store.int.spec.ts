import { createTestSchema, expectEventually, type TestSchema } from '@pitboss/testing';

import { IdempotencyError, IdempotencyErrorCode } from '../core/idempotency.error';
import { type IdempotentResult } from '../core/idempotent-request';
import { idempotencyMigrations } from '../migrations/idempotency-migrations';
import { type IdempotencyOptions } from './idempotency-options';
import {
  aHandler,
  aRequest,
  aResponse,
  errorCodeOf,
  gatedHandler,
  recordCount,
} from './postgres-idempotency.fixtures';
import { PostgresIdempotencyStore } from './postgres-idempotency.store';

describe(PostgresIdempotencyStore.name, () => {
  let db: TestSchema;
  const stores = (options: Partial<IdempotencyOptions> = {}) =>
    new PostgresIdempotencyStore(db.pool, options);

  beforeEach(async () => {
    db = await createTestSchema(idempotencyMigrations, 'idem');
  });

  afterEach(async () => {
    await db.drop();
  });

  describe('the same key and payload', () => {
    it('runs the handler once and replays its response', async () => {
      const sut = stores();
      const request = aRequest();
      const handler = aHandler();

      const first = await sut.execute(request, handler.run);
      const second = await sut.execute({ ...request }, handler.run);

      expect(handler.calls).toBe(1);
      expect(first).toEqual({ response: aResponse(), replayed: false });
      expect(second).toEqual({ response: aResponse(), replayed: true });
    });

    it('replays stored headers', async () => {
      const sut = stores();
      const request = aRequest();
      const response = aResponse({ headers: { location: '/v1/bets/b-1' } });

      await sut.execute(request, aHandler(response).run);
      const replay = await sut.execute(request, aHandler().run);

      expect(replay.response).toEqual(response);
    });
  });

  describe('the same key with a different payload', () => {
    it('is refused with MISMATCH after the first request completed', async () => {
      const sut = stores();
      const request = aRequest();
      const other = aHandler();
      await sut.execute(request, aHandler().run);

      const code = await errorCodeOf(
        sut.execute(aRequest({ key: request.key, body: { betId: 'b-2' } }), other.run),
      );

      expect(code).toBe(IdempotencyErrorCode.Mismatch);
      expect(other.calls).toBe(0);
    });

    it('is refused with MISMATCH while the first request still runs', async () => {
      const sut = stores({ waitMs: 10_000 });
      const request = aRequest();
      const first = gatedHandler();
      const running = sut.execute(request, first.run);
      await expectEventually(() => expect(first.calls).toBe(1));

      const code = await errorCodeOf(
        sut.execute(aRequest({ key: request.key, body: { betId: 'b-2' } }), aHandler().run),
      );
      first.release();

      expect(code).toBe(IdempotencyErrorCode.Mismatch);
      await expect(running).resolves.toMatchObject({ replayed: false });
    });
  });

  describe('50 concurrent requests with one key', () => {
    it('run the handler exactly once and all get its response when they may wait', async () => {
      const sut = stores({ waitMs: 30_000, pollIntervalMs: 10 });
      const request = aRequest();
      const handler = gatedHandler();

      const all = Promise.all(Array.from({ length: 50 }, () => sut.execute(request, handler.run)));
      await expectEventually(() => expect(handler.calls).toBe(1));
      handler.release();
      const results = await all;

      expect(handler.calls).toBe(1);
      for (const result of results) expect(result.response).toEqual(aResponse());
      expect(results.filter((result) => !result.replayed)).toHaveLength(1);
    });

    it('run the handler exactly once and the others get IN_PROGRESS when they may not wait', async () => {
      const sut = stores({ waitMs: 0 });
      const request = aRequest();
      const handler = gatedHandler();
      const settled: PromiseSettledResult<IdempotentResult>[] = [];

      const all = Array.from({ length: 50 }, () =>
        sut.execute(request, handler.run).then(
          (value) => settled.push({ status: 'fulfilled', value }),
          (reason: unknown) => settled.push({ status: 'rejected', reason }),
        ),
      );
      await expectEventually(() => expect(settled).toHaveLength(49));
      handler.release();
      await Promise.all(all);

      expect(handler.calls).toBe(1);
      const rejected = settled.filter((result) => result.status === 'rejected');
      expect(rejected).toHaveLength(49);
      for (const { reason } of rejected) {
        expect(reason).toBeInstanceOf(IdempotencyError);
        expect(reason).toMatchObject({ code: IdempotencyErrorCode.InProgress, retryable: true });
      }
      expect(settled.find((result) => result.status === 'fulfilled')).toEqual({
        status: 'fulfilled',
        value: { response: aResponse(), replayed: false },
      });
    });
  });

  describe('what is stored', () => {
    it.each([400, 402, 404, 422])('stores a final %i and replays it', async (status) => {
      const sut = stores();
      const request = aRequest();
      const handler = aHandler(aResponse({ status, body: { error: { code: 'INSUFFICIENT_FUNDS' } } }));

      await sut.execute(request, handler.run);
      const replay = await sut.execute(request, handler.run);

      expect(handler.calls).toBe(1);
      expect(replay).toEqual({
        response: { status, body: { error: { code: 'INSUFFICIENT_FUNDS' } } },
        replayed: true,
      });
    });

    it.each([500, 503, 429])('does not store a retryable %i: the retry executes again', async (status) => {
      const sut = stores();
      const request = aRequest();
      const handler = aHandler(aResponse({ status, body: { error: { code: 'WALLET_UNAVAILABLE' } } }));

      const first = await sut.execute(request, handler.run);
      const retry = await sut.execute(request, handler.run);

      expect(handler.calls).toBe(2);
      expect([first.replayed, retry.replayed]).toEqual([false, false]);
      expect(first.response.status).toBe(status);
      expect(await recordCount(db.pool)).toBe(0);
    });

    it('releases the key when the handler throws, and rethrows', async () => {
      const sut = stores();
      const request = aRequest();
      const failure = new Error('wallet timed out');

      await expect(sut.execute(request, () => Promise.reject(failure))).rejects.toBe(failure);
      const retry = await sut.execute(request, aHandler().run);

      expect(retry).toEqual({ response: aResponse(), replayed: false });
    });

    it('lets a waiting request execute when the running one throws', async () => {
      const sut = stores({ waitMs: 30_000, pollIntervalMs: 10 });
      const request = aRequest();
      let fail: ((error: Error) => void) | undefined;
      const first = sut.execute(request, () => new Promise((_, reject) => (fail = reject)));
      await expectEventually(() => expect(fail).toBeDefined());
      const waiting = aHandler();

      const second = sut.execute(request, waiting.run);
      fail?.(new Error('crashed'));

      await expect(first).rejects.toThrow('crashed');
      await expect(second).resolves.toEqual({ response: aResponse(), replayed: false });
      expect(waiting.calls).toBe(1);
    });
  });
});
