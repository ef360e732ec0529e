import { type Transaction } from '@pitboss/event-store';

import { isStorableStatus, type StoredResponse } from '../core/stored-response';
import { type Claim, finishClaim } from './idempotency-records';

/**
 * A claimed key whose answer can be stored in the command's own last transaction, for a command whose effect
 * spans several transactions with a call in between (authorize: intent, wallet debit, outcome): completing the
 * key then costs no commit of its own. `PostgresIdempotencyStore.executeCompletingIn` claims the key first (so
 * duplicates wait or replay, and are refused, before the command does anything) and stores the answer itself
 * when the handler did not.
 *
 * The handler's contract: `completeIn` goes in its last transaction, and the handler returns normally only once
 * that transaction has committed (an error after it is thrown, never swallowed).
 */
export class KeyAcrossTransactions {
  /** The answer as `completeIn` stored it; undefined until then. */
  stored?: StoredResponse;

  constructor(readonly claim: Claim) {}

  /** Stores `response` as the key's answer in `tx`; a retryable one releases the key instead (not stored). */
  async completeIn(tx: Transaction, response: StoredResponse): Promise<void> {
    const answer = await finishClaim(tx, this.claim, response);
    if (isStorableStatus(response.status)) this.stored = answer;
  }
}
