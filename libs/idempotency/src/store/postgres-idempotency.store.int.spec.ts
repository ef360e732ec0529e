import { randomUUID } from 'node:crypto';

import { type Transaction } from '@pitboss/event-store';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the workspace rule does not yet exempt specs from type:testing
import { createTestSchema, expectEventually, type TestSchema } from '@pitboss/testing';

import { IdempotencyError, IdempotencyErrorCode } from '../core/idempotency.error';
import { type IdempotentRequest, type IdempotentResult } from '../core/idempotent-request';
import { requestFingerprint } from '../core/request-fingerprint';
import { type StoredResponse } from '../core/stored-response';
import { idempotencyMigrations } from '../migrations/idempotency-migrations';
import { type IdempotencyOptions } from './idempotency-options';
import { PostgresIdempotencyStore } from './postgres-idempotency.store';

const aRequest = (overrides: Partial<IdempotentRequest> & { body?: unknown } = {}): IdempotentRequest => {
  const { body = { betId: 'b-1', amount: { minor_units: 500, currency: 'EUR' } }, ...rest } = overrides;
  return {
    tenantId: 'tenant-a',
    scope: 'bets.place',
    key: `key-${randomUUID()}`,
    requestHash: requestFingerprint({ method: 'POST', path: '/v1/bets', body }),
    ...rest,
  };
};

const aResponse = (overrides: Partial<StoredResponse> = {}): StoredResponse => ({
  status: 201,
  body: { betId: 'b-1', balance: { minor_units: 9_500, currency: 'EUR' } },
  ...overrides,
});

/** A handler that counts its runs and answers `response`, or blocks until released when `gated`. */
function aHandler(response: StoredResponse = aResponse()) {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const handler = {
    calls: 0,
    gated: false,
    release,
    run: async (): Promise<StoredResponse> => {
      handler.calls += 1;
      if (handler.gated) await gate;
      return response;
    },
  };
  return handler;
}

function gatedHandler(response?: StoredResponse) {
  const handler = aHandler(response);
  handler.gated = true;
  return handler;
}

async function errorCodeOf(work: Promise<unknown>): Promise<IdempotencyErrorCode> {
  const error: unknown = await work.then(
    () => new Error('expected an IdempotencyError'),
    (thrown: unknown) => thrown,
  );
  if (error instanceof IdempotencyError) return error.code;
  throw error;
}

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

  /** Moves a record's lease or retention into the past: what time does to a record whose process died. */
  async function expire(
    request: IdempotentRequest,
    column: 'lease_expires_at' | 'expires_at',
  ): Promise<void> {
    await db.pool.query(
      `UPDATE idempotency_records SET ${column} = now() - interval '1 second'
       WHERE tenant_id = $1 AND scope = $2 AND idempotency_key = $3`,
      [request.tenantId, request.scope, request.key],
    );
  }

  async function recordCount(): Promise<number> {
    const { rows } = await db.pool.query<{ count: string }>('SELECT count(*) FROM idempotency_records');
    return Number(rows[0]?.count);
  }

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
      expect(await recordCount()).toBe(0);
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

  describe('a request whose process died', () => {
    it('is taken over by a retry once its lease expired, and the late process cannot overwrite it', async () => {
      const sut = stores({ waitMs: 0 });
      const request = aRequest();
      const dead = gatedHandler(aResponse({ body: { from: 'dead' } }));
      const stalled = sut.execute(request, dead.run);
      await expectEventually(() => expect(dead.calls).toBe(1));
      expect(await errorCodeOf(sut.execute(request, aHandler().run))).toBe(IdempotencyErrorCode.InProgress);

      await expire(request, 'lease_expires_at');
      const takeover = await sut.execute(request, aHandler(aResponse({ body: { from: 'retry' } })).run);
      dead.release();

      expect(takeover).toEqual({ response: aResponse({ body: { from: 'retry' } }), replayed: false });
      expect(await errorCodeOf(stalled)).toBe(IdempotencyErrorCode.InProgress);
      expect((await sut.execute(request, aHandler().run)).response.body).toEqual({ from: 'retry' });
    });

    it('is not taken over by a different payload', async () => {
      const sut = stores({ waitMs: 0 });
      const request = aRequest();
      const dead = gatedHandler();
      const stalled = sut.execute(request, dead.run);
      await expectEventually(() => expect(dead.calls).toBe(1));

      await expire(request, 'lease_expires_at');
      const code = await errorCodeOf(
        sut.execute(aRequest({ key: request.key, body: { other: true } }), aHandler().run),
      );
      dead.release();
      await stalled;

      expect(code).toBe(IdempotencyErrorCode.Mismatch);
    });
  });

  describe('retention', () => {
    it('makes the key reusable, even with another payload, once the record expired', async () => {
      const sut = stores();
      const request = aRequest();
      await sut.execute(request, aHandler().run);

      await expire(request, 'expires_at');
      const reused = aRequest({ key: request.key, body: { betId: 'b-9' } });
      const result = await sut.execute(reused, aHandler(aResponse({ body: { betId: 'b-9' } })).run);

      expect(result).toEqual({ response: aResponse({ body: { betId: 'b-9' } }), replayed: false });
    });

    it('keeps records for the configured retention', async () => {
      const sut = stores({ retentionMs: 7 * 86_400_000 });
      const request = aRequest();

      await sut.execute(request, aHandler().run);

      const { rows } = await db.pool.query<{ days: number }>(
        'SELECT extract(epoch FROM expires_at - created_at) / 86400 AS days FROM idempotency_records',
      );
      expect(Number(rows[0]?.days)).toBe(7);
    });

    it('purgeExpired deletes expired records in batches and keeps the others', async () => {
      const sut = stores();
      const expired = Array.from({ length: 5 }, () => aRequest());
      const live = aRequest();
      for (const request of [...expired, live]) await sut.execute(request, aHandler().run);
      for (const request of expired) await expire(request, 'expires_at');

      const purged = await sut.purgeExpired(2);

      expect(purged).toBe(5);
      expect(await recordCount()).toBe(1);
      expect(await sut.execute(live, aHandler().run)).toMatchObject({ replayed: true });
      expect(await sut.purgeExpired()).toBe(0);
    });
  });

  describe('isolation', () => {
    it.each<[string, Partial<IdempotentRequest>]>([
      ['tenants', { tenantId: 'tenant-b' }],
      ['scopes', { scope: 'bets.settle' }],
    ])('keeps the same key apart across %s', async (_, elsewhere) => {
      const sut = stores();
      const request = aRequest();
      const handler = aHandler();
      await sut.execute(request, handler.run);

      const result = await sut.execute(
        { ...aRequest({ key: request.key, body: { other: 'payload' } }), ...elsewhere },
        handler.run,
      );

      expect(result.replayed).toBe(false);
      expect(handler.calls).toBe(2);
    });
  });

  describe('executeInTransaction', () => {
    beforeEach(async () => {
      await db.pool.query('CREATE TABLE effects (key text PRIMARY KEY)');
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
      expect(await recordCount()).toBe(0);
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
      expect(await recordCount()).toBe(0);
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

      await expire(request, 'lease_expires_at');
      await sut.executeInTransaction(request, async (tx) => {
        await tx.query('INSERT INTO effects (key) VALUES ($1)', ['retry']);
        return aResponse({ body: { from: 'retry' } });
      });
      resume();

      expect(await errorCodeOf(stalled)).toBe(IdempotencyErrorCode.InProgress);
      expect(await effects()).toEqual(['retry']);
    });
  });
});
