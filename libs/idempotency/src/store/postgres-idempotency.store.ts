import { randomUUID } from 'node:crypto';

import { type Pool } from 'pg';

import { type Transaction, withTransaction } from '@pitboss/event-store';

import { IdempotencyError, IdempotencyErrorCode } from '../core/idempotency.error';
import { validateIdempotencyKey } from '../core/idempotency-key';
import { type IdempotentRequest, type IdempotentResult } from '../core/idempotent-request';
import { isStorableStatus, type StoredResponse } from '../core/stored-response';
import { idempotencyOptionsFromEnv, type IdempotencyOptions } from './idempotency-options';

/** The right to execute one request: only the holder of `claimId` may complete or release the record. */
interface Claim {
  readonly request: IdempotentRequest;
  readonly claimId: string;
}

type Queryable = Pick<Pool, 'query'>;

interface RecordRow {
  readonly request_hash: string;
  readonly state: 'in_progress' | 'completed';
  readonly response_status: number | null;
  readonly response_body: unknown;
  readonly response_headers: Record<string, string> | null;
  readonly lease_expired: boolean;
}

type ResponseRow = Pick<RecordRow, 'response_status' | 'response_body' | 'response_headers'>;

const KEY_COLUMNS = 'tenant_id = $1 AND scope = $2 AND idempotency_key = $3';

// Takes a new key, a key whose retention is over, or the key of an execution whose lease ran out (its process
// is presumed dead) when the request is the same one. Every other conflict returns no row: someone else owns it.
const CLAIM = `
  INSERT INTO idempotency_records AS r
    (tenant_id, scope, idempotency_key, request_hash, state, claim_id, created_at, lease_expires_at, expires_at)
  VALUES ($1, $2, $3, $4, 'in_progress', $5, now(),
          now() + $6::float8 * interval '1 millisecond', now() + $7::float8 * interval '1 millisecond')
  ON CONFLICT (tenant_id, scope, idempotency_key) DO UPDATE
    SET request_hash = EXCLUDED.request_hash, state = 'in_progress', claim_id = EXCLUDED.claim_id,
        created_at = EXCLUDED.created_at, lease_expires_at = EXCLUDED.lease_expires_at,
        expires_at = EXCLUDED.expires_at, completed_at = NULL,
        response_status = NULL, response_body = NULL, response_headers = NULL
    WHERE r.expires_at <= now()
       OR (r.state = 'in_progress' AND r.lease_expires_at <= now() AND r.request_hash = EXCLUDED.request_hash)
  RETURNING claim_id`;

const FIND = `
  SELECT request_hash, state, response_status, response_body, response_headers,
         (state = 'in_progress' AND lease_expires_at <= now()) AS lease_expired
  FROM idempotency_records
  WHERE ${KEY_COLUMNS} AND expires_at > now()`;

const COMPLETE = `
  UPDATE idempotency_records
  SET state = 'completed', response_status = $5, response_body = $6::jsonb, response_headers = $7::jsonb,
      completed_at = now(), lease_expires_at = NULL
  WHERE ${KEY_COLUMNS} AND claim_id = $4 AND state = 'in_progress'
  RETURNING response_status, response_body, response_headers`;

const RELEASE = `DELETE FROM idempotency_records WHERE ${KEY_COLUMNS} AND claim_id = $4 AND state = 'in_progress'`;

// SKIP LOCKED: a row being reclaimed right now is not worth waiting for; the next run gets it if still expired.
const PURGE_BATCH = `
  DELETE FROM idempotency_records
  WHERE (tenant_id, scope, idempotency_key) IN (
    SELECT tenant_id, scope, idempotency_key FROM idempotency_records
    WHERE expires_at <= now() ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
  AND expires_at <= now()`;

/**
 * Idempotency records in the service's Postgres schema (see README.md). Exactly one caller per key executes its
 * handler; the others replay its stored response, wait for it, or are refused.
 */
export class PostgresIdempotencyStore {
  readonly options: IdempotencyOptions;

  constructor(
    private readonly pool: Pool,
    options: Partial<IdempotencyOptions> = {},
  ) {
    this.options = { ...idempotencyOptionsFromEnv(), ...options };
  }

  /** Runs `handler` once per key; its response is stored unless it is retryable (5xx, 408, 425, 429). */
  execute(request: IdempotentRequest, handler: () => Promise<StoredResponse>): Promise<IdempotentResult> {
    return this.run(request, (claim) =>
      this.releasingOnError(claim, async () => this.finish(this.pool, claim, await handler())),
    );
  }

  /**
   * As `execute`, but `handler` works in a transaction that also records the response, so the business effect
   * and its stored response commit together or not at all. A handler that throws, or answers a retryable status
   * (which is not stored, so a retry executes again), has its effect rolled back.
   */
  executeInTransaction(
    request: IdempotentRequest,
    handler: (tx: Transaction) => Promise<StoredResponse>,
  ): Promise<IdempotentResult> {
    return this.run(request, (claim) =>
      this.releasingOnError(claim, () =>
        withTransaction(this.pool, async (tx) => {
          const response = await handler(tx);
          assertStatus(response.status);
          if (!isStorableStatus(response.status)) throw new UnstoredResponse(response);
          return this.finish(tx, claim, response);
        }),
      ).catch((error: unknown) => {
        if (error instanceof UnstoredResponse) return error.response;
        throw error;
      }),
    );
  }

  /** Deletes records past their retention in batches of `batchSize` (short locks); returns how many. */
  async purgeExpired(batchSize = 1_000): Promise<number> {
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new RangeError('batchSize must be a positive integer');
    }
    let purged = 0;
    for (;;) {
      const { rowCount } = await this.pool.query(PURGE_BATCH, [batchSize]);
      purged += rowCount ?? 0;
      if ((rowCount ?? 0) < batchSize) return purged;
    }
  }

  private async run(
    request: IdempotentRequest,
    executeClaimed: (claim: Claim) => Promise<StoredResponse>,
  ): Promise<IdempotentResult> {
    assertRequest(request);
    const deadline = Date.now() + this.options.waitMs;
    for (;;) {
      const claimId = await this.tryClaim(request);
      if (claimId !== undefined) {
        return { response: await executeClaimed({ request, claimId }), replayed: false };
      }

      const record = await this.find(request);
      // Released or past retention since our claim attempt: claiming again settles it.
      if (record === undefined) continue;
      // Checked first, also while the other request runs: a different payload is never answered with its result.
      if (record.request_hash !== request.requestHash) {
        throw new IdempotencyError(
          IdempotencyErrorCode.Mismatch,
          'this idempotency key was already used with a different request',
        );
      }
      if (record.state === 'completed') return { response: toStoredResponse(record), replayed: true };
      // Its lease ran out since our claim attempt, and the request is ours: the next claim takes it over.
      if (record.lease_expired) continue;
      if (Date.now() >= deadline) {
        throw inProgress('a request with this idempotency key is still being processed');
      }
      await delay(this.options.pollIntervalMs);
    }
  }

  private async tryClaim(request: IdempotentRequest): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ claim_id: string }>(CLAIM, [
      ...keyOf(request),
      request.requestHash,
      randomUUID(),
      this.options.leaseMs,
      this.options.retentionMs,
    ]);
    return rows[0]?.claim_id;
  }

  private async find(request: IdempotentRequest): Promise<RecordRow | undefined> {
    const { rows } = await this.pool.query<RecordRow>(FIND, keyOf(request));
    return rows[0];
  }

  /** Stores a final response; releases the key for a retryable one, so the retry executes again. */
  private async finish(db: Queryable, claim: Claim, response: StoredResponse): Promise<StoredResponse> {
    assertStatus(response.status);
    if (!isStorableStatus(response.status)) {
      await db.query(RELEASE, [...keyOf(claim.request), claim.claimId]);
      return response;
    }
    const { rows } = await db.query<ResponseRow>(COMPLETE, [
      ...keyOf(claim.request),
      claim.claimId,
      response.status,
      JSON.stringify(response.body) ?? 'null',
      response.headers === undefined ? null : JSON.stringify(response.headers),
    ]);
    const stored = rows[0];
    // Our lease ran out and another execution took the key over: its record wins. Throwing rolls back the effect
    // of a transactional handler; the caller's retry replays the other execution's response.
    if (stored === undefined) throw inProgress('the idempotency key was taken over by another execution');
    // Returned as stored, so the first answer and every replay are the same JSON.
    return toStoredResponse(stored);
  }

  private async releasingOnError<T>(claim: Claim, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      // If the release fails too, the lease still frees the key once it runs out; the handler's error matters more.
      await this.pool.query(RELEASE, [...keyOf(claim.request), claim.claimId]).catch(() => undefined);
      throw error;
    }
  }
}

/** Carries a retryable response out of a transaction that must roll back. */
class UnstoredResponse extends Error {
  constructor(readonly response: StoredResponse) {
    super(`retryable response ${response.status} is not stored`);
  }
}

function keyOf(request: IdempotentRequest): [string, string, string] {
  return [request.tenantId, request.scope, request.key];
}

function toStoredResponse(row: ResponseRow): StoredResponse {
  if (row.response_status === null) throw new Error('completed idempotency record without a response status');
  return row.response_headers === null
    ? { status: row.response_status, body: row.response_body }
    : { status: row.response_status, body: row.response_body, headers: row.response_headers };
}

function assertRequest(request: IdempotentRequest): void {
  validateIdempotencyKey(request.key);
  if (request.tenantId === '') {
    throw new IdempotencyError(IdempotencyErrorCode.TenantMissing, 'a tenant is required');
  }
  if (request.scope === '') throw new Error('an idempotency scope is required');
  if (!/^[0-9a-f]{64}$/.test(request.requestHash)) throw new Error('requestHash must be a sha256 hex digest');
}

function assertStatus(status: number): void {
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new RangeError(`invalid HTTP status ${status}`);
  }
}

function inProgress(message: string): IdempotencyError {
  return new IdempotencyError(IdempotencyErrorCode.InProgress, message);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
