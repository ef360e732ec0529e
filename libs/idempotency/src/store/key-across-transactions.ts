import { type Transaction } from '@pitboss/event-store';

import { type IdempotentRequest } from '../core/idempotent-request';
import { isStorableStatus, type StoredResponse } from '../core/stored-response';
import { type IdempotencyOptions } from './idempotency-options';
import { type Claim, CLAIM, finishClaim, keyOf } from './idempotency-records';

/** Another execution holds the key: thrown out of the claiming transaction, so that it rolls back. */
export class KeyTakenError extends Error {
  constructor() {
    super('the idempotency key is held by another execution');
  }
}

/**
 * A key whose claim and stored answer ride in the command's own transactions, for a command whose effect spans
 * several of them with a call in between (authorize: intent, wallet debit, outcome): the key then costs no
 * commit of its own. `PostgresIdempotencyStore.executeAcrossTransactions` hands it to the handler and does the
 * rest (replay, wait, mismatch, and storing the answer itself when the handler did not).
 *
 * The handler's contract: `claimIn` is the first statement of its first transaction; a `KeyTakenError` out of
 * it is let through, so that transaction rolls back. `completeIn` goes in its last transaction, and the handler
 * returns normally only once that transaction has committed (an error after it is thrown, never swallowed).
 */
export class KeyAcrossTransactions implements Claim {
  /** The answer as `completeIn` stored it; undefined until then. */
  stored?: StoredResponse;

  constructor(
    readonly request: IdempotentRequest,
    readonly claimId: string,
    private readonly options: Pick<IdempotencyOptions, 'leaseMs' | 'retentionMs'>,
  ) {}

  /** Claims the key in `tx`; committed with it, rolled back with it (a conflict's retry claims again). */
  async claimIn(tx: Transaction): Promise<void> {
    const { rows } = await tx.query(CLAIM, [
      ...keyOf(this.request),
      this.request.requestHash,
      this.claimId,
      this.options.leaseMs,
      this.options.retentionMs,
    ]);
    if (rows.length === 0) throw new KeyTakenError();
  }

  /** Stores `response` as the key's answer in `tx`; a retryable one releases the key instead (not stored). */
  async completeIn(tx: Transaction, response: StoredResponse): Promise<void> {
    const answer = await finishClaim(tx, this, response);
    if (isStorableStatus(response.status)) this.stored = answer;
  }
}
