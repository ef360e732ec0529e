import { randomUUID } from 'node:crypto';

import { type Pool } from 'pg';

import { IdempotencyError, type IdempotencyErrorCode } from '../core/idempotency.error';
import { type IdempotentRequest } from '../core/idempotent-request';
import { requestFingerprint } from '../core/request-fingerprint';
import { type StoredResponse } from '../core/stored-response';

/** Factories and probes shared by the store's integration specs. */
export const aRequest = (
  overrides: Partial<IdempotentRequest> & { body?: unknown } = {},
): IdempotentRequest => {
  const { body = { betId: 'b-1', amount: { minor_units: 500, currency: 'EUR' } }, ...rest } = overrides;
  return {
    tenantId: 'tenant-a',
    scope: 'bets.place',
    key: `key-${randomUUID()}`,
    requestHash: requestFingerprint({ method: 'POST', path: '/v1/bets', body }),
    ...rest,
  };
};

export const aResponse = (overrides: Partial<StoredResponse> = {}): StoredResponse => ({
  status: 201,
  body: { betId: 'b-1', balance: { minor_units: 9_500, currency: 'EUR' } },
  ...overrides,
});

export interface HandlerProbe {
  readonly calls: number;
  readonly run: () => Promise<StoredResponse>;
  /** Lets a gated handler answer. */
  readonly release: () => void;
}

/** A handler that counts its runs and answers `response`; a gated one waits for `release()` first. */
export function aHandler(response: StoredResponse = aResponse(), { gated = false } = {}): HandlerProbe {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    release: () => release(),
    run: async () => {
      calls += 1;
      if (gated) await gate;
      return response;
    },
  };
}

export const gatedHandler = (response?: StoredResponse): HandlerProbe => aHandler(response, { gated: true });

export async function errorCodeOf(work: Promise<unknown>): Promise<IdempotencyErrorCode> {
  const error: unknown = await work.then(
    () => new Error('expected an IdempotencyError'),
    (thrown: unknown) => thrown,
  );
  if (error instanceof IdempotencyError) return error.code;
  throw error;
}

/** Moves a record's lease or retention into the past: what time does to a record whose process died. */
export async function expire(
  pool: Pool,
  request: IdempotentRequest,
  column: 'lease_expires_at' | 'expires_at',
): Promise<void> {
  await pool.query(
    `UPDATE idempotency_records SET ${column} = now() - interval '1 second'
     WHERE tenant_id = $1 AND scope = $2 AND idempotency_key = $3`,
    [request.tenantId, request.scope, request.key],
  );
}

export async function recordCount(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ count: string }>('SELECT count(*) FROM idempotency_records');
  return Number(rows[0]?.count);
}
