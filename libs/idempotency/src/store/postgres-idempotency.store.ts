import { type Pool } from 'pg';

import { GuardNotHeldError, type Transaction, withTransaction } from '@pitboss/event-store';

import { IdempotencyError, IdempotencyErrorCode } from '../core/idempotency.error';
import { validateIdempotencyKey } from '../core/idempotency-key';
import { type IdempotentRequest, type IdempotentResult } from '../core/idempotent-request';
import { isStorableStatus, type StoredResponse } from '../core/stored-response';
import { idempotencyOptionsFromEnv, type IdempotencyOptions } from './idempotency-options';
import { KeyAcrossTransactions, KeyHeldElsewhere } from './key-across-transactions';
import {
  FIND,
  PURGE_BATCH,
  type RecordRow,
  RELEASE,
  assertStatus,
  type Claim,
  completeIfHeld,
  finishClaim,
  inProgress,
  keyOf,
  toStoredResponse,
  tryClaim,
} from './idempotency-records';

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
    return this.run(
      request,
      this.claimingFirst(request, (claim) =>
        this.releasingOnError(claim, async () => finishClaim(this.pool, claim, await handler())),
      ),
    );
  }

  /**
   * As `execute`, but `handler` works in a transaction that also records the response, so the business effect
   * and its stored response commit together or not at all. A handler that throws, or answers a retryable status
   * (which is not stored, so a retry executes again), has its effect rolled back.
   *
   * The key is claimed in that same transaction, as its first statement: claim, effect and answer cost one
   * commit, and a rolled back execution leaves no claim to release. A concurrent duplicate's claim waits on the
   * uncommitted key (Postgres's unique index) until this transaction ends, then replays the answer, or executes
   * if it rolled back: one execution, with no lease to run out meanwhile. Its wait is the transaction's length,
   * not `waitMs`, so handlers that run in a transaction make no calls out of the database.
   */
  executeInTransaction(
    request: IdempotentRequest,
    handler: (tx: Transaction) => Promise<StoredResponse>,
  ): Promise<IdempotentResult> {
    return this.run(request, () =>
      withTransaction(this.pool, async (tx): Promise<StoredResponse | undefined> => {
        const claimId = await tryClaim(tx, request, this.options);
        if (claimId === undefined) return undefined;
        const response = await handler(tx);
        assertStatus(response.status);
        if (!isStorableStatus(response.status)) throw new UnstoredResponse(response);
        return finishClaim(tx, { request, claimId }, response);
      }).catch((error: unknown) => {
        if (error instanceof UnstoredResponse) return error.response;
        throw error;
      }),
    );
  }

  /**
   * As `execute`, for a command whose effect spans transactions of its own with a call in between: the handler
   * claims the key in its first transaction (`KeyAcrossTransactions.claimIn`) and may store the answer in its
   * last one (`completeIn`), so neither costs a commit of its own; an answer it did not store is stored here.
   *
   * When the key is held (a duplicate running or completed), `claimIn` throws, the handler's first transaction
   * rolls back, and the record decides: replay, refusal, or a wait after which the key is claimed on its own
   * first, as by `execute`, before the handler runs again. A handler that answers without having claimed (a
   * refusal before its first transaction, e.g. a full queue) is answered so only when the key has no record;
   * otherwise the record decides too, so a retry of a stored answer is not refused for a reason it never met.
   */
  executeCompletingIn(
    request: IdempotentRequest,
    handler: (key: KeyAcrossTransactions) => Promise<StoredResponse>,
  ): Promise<IdempotentResult> {
    // Only the first attempt claims in the handler's transaction: after a held key, each look claims on its own
    // first (as `execute`), so a waiting duplicate does not run the handler's first steps again at every look.
    let claimApart = false;
    return this.run(request, async () => {
      const key = claimApart
        ? await this.keyClaimedApart(request)
        : new KeyAcrossTransactions(request, this.options);
      claimApart = true;
      if (key === undefined) return undefined;
      try {
        const response = await handler(key);
        return key.stored ?? (await this.storeAnswer(request, key.claim, response));
      } catch (error) {
        if (error instanceof KeyHeldElsewhere) return undefined;
        if (key.claim) await this.releaseQuietly(key.claim);
        // A guarded completion found the key taken over (its lease ran out): the other execution's record wins.
        if (error instanceof GuardNotHeldError)
          throw inProgress('the idempotency key was taken over by another execution');
        throw error;
      }
    });
  }

  private async keyClaimedApart(request: IdempotentRequest): Promise<KeyAcrossTransactions | undefined> {
    const claimId = await tryClaim(this.pool, request, this.options);
    return claimId === undefined
      ? undefined
      : new KeyAcrossTransactions(request, this.options, { request, claimId });
  }

  /**
   * Stores an answer `executeCompletingIn`'s handler did not store itself. Its claim may be gone: made in a
   * transaction that rolled back (a refusal thrown after it), or never made (a refusal before its first
   * transaction). A final answer is then stored under a new claim, as by `execute`; a retryable one is not stored,
   * and without a claim it stands only while the key has no record. Undefined when another execution holds the
   * key: its record decides (replay, refusal or wait).
   */
  private async storeAnswer(
    request: IdempotentRequest,
    claim: Claim | undefined,
    response: StoredResponse,
  ): Promise<StoredResponse | undefined> {
    assertStatus(response.status);
    if (!isStorableStatus(response.status)) {
      if (claim) return finishClaim(this.pool, claim, response); // releases the key: not stored
      return (await this.find(request)) ? undefined : response;
    }
    return withTransaction(this.pool, async (tx) => {
      const stored = claim && (await completeIfHeld(tx, claim, response));
      if (stored) return stored;
      const claimId = await tryClaim(tx, request, this.options);
      return claimId === undefined ? undefined : finishClaim(tx, { request, claimId }, response);
    });
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

  /**
   * Answers `request` once: `attempt` claims the key and executes, or resolves undefined when someone else holds
   * the key; then the record decides (replay, refuse, wait and attempt again).
   */
  private async run(
    request: IdempotentRequest,
    attempt: () => Promise<StoredResponse | undefined>,
  ): Promise<IdempotentResult> {
    assertRequest(request);
    const deadline = Date.now() + this.options.waitMs;
    for (;;) {
      const response = await attempt();
      if (response !== undefined) return { response, replayed: false };

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

  /** An attempt that claims the key in a commit of its own, then executes outside any transaction of the store's. */
  private claimingFirst(
    request: IdempotentRequest,
    executeClaimed: (claim: Claim) => Promise<StoredResponse>,
  ): () => Promise<StoredResponse | undefined> {
    return async () => {
      const claimId = await tryClaim(this.pool, request, this.options);
      return claimId === undefined ? undefined : executeClaimed({ request, claimId });
    };
  }

  private async find(request: IdempotentRequest): Promise<RecordRow | undefined> {
    const { rows } = await this.pool.query<RecordRow>(FIND, keyOf(request));
    return rows[0];
  }

  private async releasingOnError<T>(claim: Claim, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      await this.releaseQuietly(claim);
      throw error;
    }
  }

  /** After a handler's error: if the release fails too, the lease still frees the key once it runs out. */
  private async releaseQuietly(claim: Claim): Promise<void> {
    await this.pool.query(RELEASE, [...keyOf(claim.request), claim.claimId]).catch(() => undefined);
  }
}

/** Carries a retryable response out of a transaction that must roll back. */
class UnstoredResponse extends Error {
  constructor(readonly response: StoredResponse) {
    super(`retryable response ${response.status} is not stored`);
  }
}

function assertRequest(request: IdempotentRequest): void {
  validateIdempotencyKey(request.key);
  if (request.tenantId === '') {
    throw new IdempotencyError(IdempotencyErrorCode.TenantMissing, 'a tenant is required');
  }
  if (request.scope === '') throw new Error('an idempotency scope is required');
  if (!/^[0-9a-f]{64}$/.test(request.requestHash)) throw new Error('requestHash must be a sha256 hex digest');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
