import { IdempotencyError, IdempotencyErrorCode } from './idempotency.error';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

// Printable ASCII (header values are ASCII anyway) with no space at either end: a key that differs from another
// only by padding would otherwise be a different key to us and the same one to most humans.
// eslint-disable-next-line security/detect-unsafe-regex -- linear: anchored, one star; keys are also capped at 255 characters
const KEY = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** Returns the key unchanged when it is usable, otherwise throws `KEY_MISSING` / `KEY_INVALID`. */
export function validateIdempotencyKey(key: string | readonly string[] | undefined): string {
  if (key === undefined || key === '') {
    throw new IdempotencyError(IdempotencyErrorCode.KeyMissing, 'an idempotency key is required');
  }
  if (typeof key !== 'string') {
    throw new IdempotencyError(IdempotencyErrorCode.KeyInvalid, 'exactly one idempotency key is allowed');
  }
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !KEY.test(key)) {
    throw new IdempotencyError(
      IdempotencyErrorCode.KeyInvalid,
      `an idempotency key is 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters without surrounding spaces`,
    );
  }
  return key;
}
