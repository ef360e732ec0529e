import { type QueryResultRow } from 'pg';

import { type GuardedWrite, type WriteInRead, type Transaction } from '@pitboss/event-store';

import { isStorableStatus, type StoredResponse } from '../core/stored-response';
import { type IdempotentRequest } from '../core/idempotent-request';
import { type IdempotencyOptions } from './idempotency-options';
import {
  CLAIM,
  type Claim,
  claimParameters,
  COMPLETE_WITH_APPEND,
  completionParameters,
  finishClaim,
  HELD_FOR_APPEND,
  RELEASE_WITH_APPEND,
  type ResponseRow,
  toStoredResponse,
  tryClaim,
} from './idempotency-records';

/**
 * A key for a command whose effect spans several transactions with a call in between (authorize: intent, wallet
 * debit, outcome). The key is claimed in the command's first transaction (`claimIn`) and its answer stored in
 * the last one (`completeIn`), so neither costs a commit of its own. `PostgresIdempotencyStore.executeCompletingIn`
 * hands it out; when another execution holds the key, `claimIn` throws `KeyHeldElsewhere` (rolling that first
 * transaction back) and the store replays, refuses or waits, as for any held key.
 *
 * The handler's contract: `claimIn` is the first lock its first transaction takes (a conflict retry of that
 * transaction calls it again), nothing with an effect runs before it, `completeIn` goes in its last transaction,
 * and the handler returns normally only once that transaction has committed (an error after it is thrown).
 */
export class KeyAcrossTransactions {
  /** The answer as `completeIn` stored it; undefined until then. */
  stored?: StoredResponse;
  private current?: Claim;

  /** `claimedApart`: a claim already committed on its own (the store's retry after a held key); `claimIn` keeps it. */
  constructor(
    private readonly request: IdempotentRequest,
    private readonly options: IdempotencyOptions,
    private readonly claimedApart?: Claim,
  ) {
    this.current = claimedApart;
  }

  /** The latest claim made; undefined before `claimIn`. Its transaction may have rolled back since. */
  get claim(): Claim | undefined {
    return this.current;
  }

  /** Claims the key in `tx` (no-op for a key claimed apart); throws `KeyHeldElsewhere` when it is taken. */
  async claimIn(tx: Transaction): Promise<void> {
    if (this.claimedApart) return;
    const claimId = await tryClaim(tx, this.request, this.options);
    if (claimId === undefined) throw new KeyHeldElsewhere();
    this.current = { request: this.request, claimId };
  }

  /**
   * `claimIn` as the write of the first transaction's stream read (libs/event-store's `readStreamWith`), for a
   * handler whose first statement is that read: the claim costs no statement of its own. Hand what the read
   * wrote to `claimedBy`. Undefined for a key claimed apart: there is nothing to claim.
   */
  claimWrite(): WriteInRead | undefined {
    if (this.claimedApart) return undefined;
    return { sql: CLAIM, parameters: claimParameters(this.request, this.options) };
  }

  /** Takes the claim `claimWrite` made (the read's `written`); throws `KeyHeldElsewhere` when it made none. */
  claimedBy(written: readonly QueryResultRow[]): void {
    if (this.claimedApart) return;
    const claimId = (written[0] as { claim_id?: string } | undefined)?.claim_id;
    if (claimId === undefined) throw new KeyHeldElsewhere();
    this.current = { request: this.request, claimId };
  }

  /** Stores `response` as the key's answer in `tx`; a retryable one releases the key instead (not stored). */
  async completeIn(tx: Transaction, response: StoredResponse): Promise<void> {
    if (this.current === undefined) throw new Error('completeIn before claimIn: the key was never claimed');
    const answer = await finishClaim(tx, this.current, response);
    if (isStorableStatus(response.status)) this.stored = answer;
  }

  /**
   * `completeIn` as the guarded write of the last transaction's append (libs/event-store's `GuardedWrite`), for
   * a last step that is that append alone: the answer is stored (a retryable one releases the key) in the
   * append's own statement, only while this claim holds the key, and the append needs no transaction. Hand what
   * the append wrote to `completedBy`. A key taken over meanwhile fails the append with `GuardNotHeldError`,
   * which `executeCompletingIn` answers as it does a `completeIn` that finds the key taken over.
   */
  completion(response: StoredResponse): GuardedWrite {
    if (this.current === undefined) throw new Error('completion before claimIn: the key was never claimed');
    const parameters = completionParameters(this.current, response);
    return isStorableStatus(response.status)
      ? { held: HELD_FOR_APPEND, writes: { key_completed: COMPLETE_WITH_APPEND }, parameters }
      : {
          held: HELD_FOR_APPEND,
          writes: { key_released: RELEASE_WITH_APPEND },
          parameters: parameters.slice(0, 4),
        };
  }

  /** Takes the answer as a guarded append of `completion(response)` stored it (the append's `written`). */
  completedBy(response: StoredResponse, written: Readonly<Record<string, readonly unknown[]>>): void {
    const [row] = written['key_completed'] ?? [];
    if (isStorableStatus(response.status) && row) this.stored = toStoredResponse(row as ResponseRow);
  }
}

/** Thrown by `claimIn` when another execution holds the key (or holds its answer); the store decides what then. */
export class KeyHeldElsewhere extends Error {
  constructor() {
    super('the idempotency key is held by another execution');
  }
}
