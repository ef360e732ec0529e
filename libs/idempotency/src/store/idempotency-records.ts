/** The SQL and row helpers of `idempotency_records` (see README.md): the store's and its keys' across transactions. */
import { randomUUID } from 'node:crypto';

import { type Pool } from 'pg';

import { IdempotencyError, IdempotencyErrorCode } from '../core/idempotency.error';
import { type IdempotentRequest } from '../core/idempotent-request';
import { isStorableStatus, type StoredResponse } from '../core/stored-response';
import { type IdempotencyOptions } from './idempotency-options';

export type Queryable = Pick<Pool, 'query'>;

export interface RecordRow {
  readonly request_hash: string;
  readonly state: 'in_progress' | 'completed';
  readonly response_status: number | null;
  readonly response_body: unknown;
  readonly response_headers: Record<string, string> | null;
  readonly lease_expired: boolean;
}

export type ResponseRow = Pick<RecordRow, 'response_status' | 'response_body' | 'response_headers'>;

export const KEY_COLUMNS = 'tenant_id = $1 AND scope = $2 AND idempotency_key = $3';

// Takes a new key, a key whose retention is over, or the key of an execution whose lease ran out (its process
// is presumed dead) when the request is the same one. Every other conflict returns no row: someone else owns it.
export const CLAIM = `
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

export const FIND = `
  SELECT request_hash, state, response_status, response_body, response_headers,
         (state = 'in_progress' AND lease_expires_at <= now()) AS lease_expired
  FROM idempotency_records
  WHERE ${KEY_COLUMNS} AND expires_at > now()`;

const HELD_BY_CLAIM = `${KEY_COLUMNS} AND claim_id = $4 AND state = 'in_progress'`;
const COMPLETED = `SET state = 'completed', response_status = $5, response_body = $6::jsonb,
      response_headers = $7::jsonb, completed_at = now(), lease_expires_at = NULL`;
const RESPONSE_COLUMNS = 'response_status, response_body, response_headers';

export const COMPLETE = `UPDATE idempotency_records ${COMPLETED} WHERE ${HELD_BY_CLAIM} RETURNING ${RESPONSE_COLUMNS}`;

export const RELEASE = `DELETE FROM idempotency_records WHERE ${HELD_BY_CLAIM}`;

// The same three as the guard and write of an append's statement (libs/event-store's GuardedWrite): the record
// is locked while the claim holds it, and completed or released only when the append claims its version.
export const HELD_FOR_APPEND = `SELECT 1 FROM idempotency_records WHERE ${HELD_BY_CLAIM} FOR UPDATE`;
export const COMPLETE_WITH_APPEND = `UPDATE idempotency_records ${COMPLETED} FROM claimed WHERE ${HELD_BY_CLAIM}
  RETURNING ${RESPONSE_COLUMNS}`;
export const RELEASE_WITH_APPEND = `DELETE FROM idempotency_records USING claimed WHERE ${HELD_BY_CLAIM} RETURNING claim_id`;

// SKIP LOCKED: a row being reclaimed right now is not worth waiting for; the next run gets it if still expired.
export const PURGE_BATCH = `
  DELETE FROM idempotency_records
  WHERE (tenant_id, scope, idempotency_key) IN (
    SELECT tenant_id, scope, idempotency_key FROM idempotency_records
    WHERE expires_at <= now() ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
  AND expires_at <= now()`;

export function keyOf(request: IdempotentRequest): [string, string, string] {
  return [request.tenantId, request.scope, request.key];
}

export function toStoredResponse(row: ResponseRow): StoredResponse {
  if (row.response_status === null) throw new Error('completed idempotency record without a response status');
  return row.response_headers === null
    ? { status: row.response_status, body: row.response_body }
    : { status: row.response_status, body: row.response_body, headers: row.response_headers };
}

export function assertStatus(status: number): void {
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new RangeError(`invalid HTTP status ${status}`);
  }
}

export function inProgress(message: string): IdempotencyError {
  return new IdempotencyError(IdempotencyErrorCode.InProgress, message);
}

/** The right to execute one request: only the holder of `claimId` may complete or release the record. */
export interface Claim {
  readonly request: IdempotentRequest;
  readonly claimId: string;
}

/** Stores a final response; releases the key for a retryable one, so the retry executes again. */
export async function finishClaim(
  db: Queryable,
  claim: Claim,
  response: StoredResponse,
): Promise<StoredResponse> {
  assertStatus(response.status);
  if (!isStorableStatus(response.status)) {
    await db.query(RELEASE, [...keyOf(claim.request), claim.claimId]);
    return response;
  }
  const stored = await completeIfHeld(db, claim, response);
  // Our lease ran out and another execution took the key over: its record wins. Throwing rolls back the effect
  // of a transactional handler; the caller's retry replays the other execution's response.
  if (stored === undefined) throw inProgress('the idempotency key was taken over by another execution');
  return stored;
}

/**
 * Stores a final response under `claim`, returned as stored (so the first answer and every replay are the same
 * JSON); undefined when the claim no longer holds the key (taken over, or made in a transaction rolled back).
 */
export async function completeIfHeld(
  db: Queryable,
  claim: Claim,
  response: StoredResponse,
): Promise<StoredResponse | undefined> {
  const { rows } = await db.query<ResponseRow>(COMPLETE, completionParameters(claim, response));
  const stored = rows[0];
  return stored === undefined ? undefined : toStoredResponse(stored);
}

/** `COMPLETE`'s parameters (`RELEASE` takes the first four). */
export function completionParameters(claim: Claim, response: StoredResponse): unknown[] {
  return [
    ...keyOf(claim.request),
    claim.claimId,
    response.status,
    JSON.stringify(response.body) ?? 'null',
    response.headers === undefined ? null : JSON.stringify(response.headers),
  ];
}

/** Claims the key for a new execution (`CLAIM`); undefined when someone else owns it. */
export async function tryClaim(
  db: Queryable,
  request: IdempotentRequest,
  options: Pick<IdempotencyOptions, 'leaseMs' | 'retentionMs'>,
): Promise<string | undefined> {
  const { rows } = await db.query<{ claim_id: string }>(CLAIM, claimParameters(request, options));
  return rows[0]?.claim_id;
}

/** `CLAIM`'s parameters, with a new claim id. */
export function claimParameters(
  request: IdempotentRequest,
  options: Pick<IdempotencyOptions, 'leaseMs' | 'retentionMs'>,
): unknown[] {
  return [...keyOf(request), request.requestHash, randomUUID(), options.leaseMs, options.retentionMs];
}
