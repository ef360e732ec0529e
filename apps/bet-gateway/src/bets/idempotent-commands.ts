import { Inject, Injectable } from '@nestjs/common';
import { type QueryResultRow } from 'pg';

import { type ErrorCode, errorBodyOf, PitbossError } from '@pitboss/contracts';
import { StreamVersionConflictError, type Transaction } from '@pitboss/event-store';
import {
  type KeyAcrossTransactions,
  IdempotencyError,
  IdempotencyErrorCode,
  type IdempotentRequest,
  type IdempotentResult,
  PostgresIdempotencyStore,
  requestFingerprint,
  type StoredResponse,
} from '@pitboss/idempotency';

import { MAX_CONFLICT_RETRIES } from './bet-repository';

export interface CommandRequest {
  readonly tenantId: string;
  readonly idempotencyKey: string | undefined;
  /** The HTTP route the command is (`/v1/bets/authorize`); gRPC uses the same so keys work across transports. */
  readonly path: string;
  readonly body: unknown;
}

export interface CommandAnswer extends StoredResponse {
  readonly replayed: boolean;
}

/**
 * An idempotency key the command claims with its first transaction's first read (`claimWrite`, then
 * `claimedBy`) and answers in its last one.
 */
export interface CommandKey extends Pick<
  KeyAcrossTransactions,
  'claimWrite' | 'completeIn' | 'completion' | 'completedBy'
> {
  claimedBy(written: readonly QueryResultRow[]): Promise<void>;
}

const IDEMPOTENCY_CODES: Record<IdempotencyErrorCode, ErrorCode> = {
  [IdempotencyErrorCode.KeyMissing]: 'IDEMPOTENCY_KEY_MISSING',
  [IdempotencyErrorCode.KeyInvalid]: 'IDEMPOTENCY_KEY_INVALID',
  [IdempotencyErrorCode.TenantMissing]: 'UNKNOWN_TENANT',
  [IdempotencyErrorCode.Mismatch]: 'IDEMPOTENCY_MISMATCH',
  [IdempotencyErrorCode.InProgress]: 'IDEMPOTENCY_IN_PROGRESS',
};

/**
 * Runs a mutating command once per (tenant, idempotency key). A refusal is an answer too, so domain errors are
 * turned into stored error responses here; retryable ones (5xx, 429) are answered but not stored.
 */
@Injectable()
export class IdempotentCommands {
  constructor(@Inject(PostgresIdempotencyStore) private readonly store: PostgresIdempotencyStore) {}

  run(request: CommandRequest, handler: () => Promise<StoredResponse>): Promise<CommandAnswer> {
    return answered(() => this.store.execute(idempotentRequestOf(request), () => answerOf(handler)));
  }

  /**
   * As `run`, with the handler's effect and the stored answer committed in one transaction. When another request
   * appended to the bet's stream first, both are rolled back (the claim released) and the command runs again on
   * the newer state, as `BetRepository.decideAndAppend` does outside a transaction.
   */
  async runInTransaction(
    request: CommandRequest,
    handler: (tx: Transaction) => Promise<StoredResponse>,
  ): Promise<CommandAnswer> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await answered(() =>
          this.store.executeInTransaction(idempotentRequestOf(request), (tx) => answerOf(() => handler(tx))),
        );
      } catch (error) {
        if (!(error instanceof StreamVersionConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
      }
    }
  }

  /**
   * As `run`, for a command with a call between its transactions (authorize: intent, wallet debit, outcome): the
   * handler claims the key with its first transaction's first read (`key.claimWrite`, `key.claimedBy`) and stores
   * the answer in its last one (`key.completeIn`, `key.completion`), so the key adds no statement or commit. `onClaimed` runs once, right after the first claim, in the
   * claiming transaction: the rate-limit charge, which a replay (its claim refused) then never pays.
   */
  runCompletingIn(
    request: CommandRequest,
    onClaimed: () => Promise<void>,
    handler: (key: CommandKey) => Promise<StoredResponse>,
  ): Promise<CommandAnswer> {
    return answered(() =>
      this.store.executeCompletingIn(idempotentRequestOf(request), (key) =>
        answerOf(() => handler(chargedOnClaim(key, onClaimed))),
      ),
    );
  }
}

/** The key with `onClaimed` run after its first successful claim only (a conflict retry does not run it again). */
function chargedOnClaim(key: KeyAcrossTransactions, onClaimed: () => Promise<void>): CommandKey {
  let ran = false;
  const charge = async () => {
    if (ran) return;
    ran = true;
    await onClaimed();
  };
  return {
    claimWrite: () => key.claimWrite(),
    claimedBy: async (written) => {
      key.claimedBy(written);
      await charge();
    },
    completeIn: (tx, response) => key.completeIn(tx, response),
    completion: (response) => key.completion(response),
    completedBy: (response, written) => key.completedBy(response, written),
  };
}

function idempotentRequestOf(request: CommandRequest): IdempotentRequest {
  return {
    tenantId: request.tenantId,
    scope: request.path,
    key: request.idempotencyKey ?? '',
    requestHash: requestFingerprint({ method: 'POST', path: request.path, body: request.body }),
  };
}

/** The store's result as a command answer; its refusals (mismatch, in progress) as catalogue errors. */
async function answered(execute: () => Promise<IdempotentResult>): Promise<CommandAnswer> {
  try {
    const { response, replayed } = await execute();
    return { ...response, replayed };
  } catch (error) {
    if (error instanceof IdempotencyError) {
      const retryAfter = error.code === IdempotencyErrorCode.InProgress ? 1 : undefined;
      throw new PitbossError(IDEMPOTENCY_CODES[error.code], error.message, {}, retryAfter);
    }
    throw error;
  }
}

async function answerOf(handler: () => Promise<StoredResponse>): Promise<StoredResponse> {
  try {
    return await handler();
  } catch (error) {
    if (!(error instanceof PitbossError)) throw error;
    return errorResponseOf(error);
  }
}

export function errorResponseOf(error: PitbossError): StoredResponse {
  const headers =
    error.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(error.retryAfterSeconds) };
  return { status: error.definition.httpStatus, body: errorBodyOf(error), ...(headers ? { headers } : {}) };
}
