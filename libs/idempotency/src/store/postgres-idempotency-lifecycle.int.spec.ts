import { createTestSchema, expectEventually, type TestSchema } from '@pitboss/testing';

import { IdempotencyErrorCode } from '../core/idempotency.error';
import { type IdempotentRequest } from '../core/idempotent-request';
import { idempotencyMigrations } from '../migrations/idempotency-migrations';
import { type IdempotencyOptions } from './idempotency-options';
import {
  aHandler,
  aRequest,
  aResponse,
  errorCodeOf,
  expire,
  gatedHandler,
  recordCount,
} from './postgres-idempotency.fixtures';
import { PostgresIdempotencyStore } from './postgres-idempotency.store';

describe(`${PostgresIdempotencyStore.name} leases and retention`, () => {
  let db: TestSchema;
  const stores = (options: Partial<IdempotencyOptions> = {}) =>
    new PostgresIdempotencyStore(db.pool, options);

  beforeEach(async () => {
    db = await createTestSchema(idempotencyMigrations, 'idem_life');
  });

  afterEach(async () => {
    await db.drop();
  });

  describe('a request whose process died', () => {
    it('is taken over by a retry once its lease expired, and the late process cannot overwrite it', async () => {
      const sut = stores({ waitMs: 0 });
      const request = aRequest();
      const dead = gatedHandler(aResponse({ body: { from: 'dead' } }));
      const stalled = sut.execute(request, dead.run);
      await expectEventually(() => expect(dead.calls).toBe(1));
      expect(await errorCodeOf(sut.execute(request, aHandler().run))).toBe(IdempotencyErrorCode.InProgress);

      await expire(db.pool, request, 'lease_expires_at');
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

      await expire(db.pool, request, 'lease_expires_at');
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

      await expire(db.pool, request, 'expires_at');
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
      for (const request of expired) await expire(db.pool, request, 'expires_at');

      const purged = await sut.purgeExpired(2);

      expect(purged).toBe(5);
      expect(await recordCount(db.pool)).toBe(1);
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
});
