export enum IdempotencyErrorCode {
  KeyMissing = 'IDEMPOTENCY_KEY_MISSING',
  KeyInvalid = 'IDEMPOTENCY_KEY_INVALID',
  TenantMissing = 'IDEMPOTENCY_TENANT_MISSING',
  Mismatch = 'IDEMPOTENCY_MISMATCH',
  InProgress = 'IDEMPOTENCY_IN_PROGRESS',
}

/** The one error type of this module; the HTTP layer maps `code` to a status in `idempotencyHttpStatus`. */
export class IdempotencyError extends Error {
  override readonly name = 'IdempotencyError';

  constructor(
    readonly code: IdempotencyErrorCode,
    message: string,
  ) {
    super(message);
  }

  /** Only a request still running elsewhere is worth retrying unchanged: every other code needs a new request. */
  get retryable(): boolean {
    return this.code === IdempotencyErrorCode.InProgress;
  }
}
