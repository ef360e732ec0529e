import { type StoredResponse } from './stored-response';

/** One idempotent request: its record is identified by tenant, scope and key, and bound to the request's hash. */
export interface IdempotentRequest {
  readonly tenantId: string;
  /** The operation the key belongs to (e.g. `bets.place`), so one key may be used on different operations. */
  readonly scope: string;
  readonly key: string;
  /** `requestFingerprint` of the request; the same key with another hash is refused. */
  readonly requestHash: string;
}

export interface IdempotentResult {
  readonly response: StoredResponse;
  /** True when the response was stored by an earlier execution instead of produced now. */
  readonly replayed: boolean;
}
