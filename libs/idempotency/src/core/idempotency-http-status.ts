import { IdempotencyErrorCode } from './idempotency.error';

/** The HTTP status of each idempotency error (IETF draft-ietf-httpapi-idempotency-key-header, section 2.7). */
export function idempotencyHttpStatus(code: IdempotencyErrorCode): number {
  switch (code) {
    case IdempotencyErrorCode.KeyMissing:
    case IdempotencyErrorCode.KeyInvalid:
    case IdempotencyErrorCode.TenantMissing:
      return 400;
    case IdempotencyErrorCode.Mismatch:
      return 422;
    case IdempotencyErrorCode.InProgress:
      return 409;
    default:
      return assertNever(code);
  }
}

function assertNever(code: never): never {
  throw new Error(`unhandled idempotency error code ${String(code)}`);
}
