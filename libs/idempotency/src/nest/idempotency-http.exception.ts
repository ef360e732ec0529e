import { HttpException } from '@nestjs/common';

import { type IdempotencyError } from '../core/idempotency.error';
import { idempotencyHttpStatus } from '../core/idempotency-http-status';

/** The product's error shape: `{ "error": { code, message, retryable } }` with the code's status. */
export function idempotencyHttpException(error: IdempotencyError): HttpException {
  return new HttpException(
    { error: { code: error.code, message: error.message, retryable: error.retryable } },
    idempotencyHttpStatus(error.code),
    { cause: error },
  );
}
