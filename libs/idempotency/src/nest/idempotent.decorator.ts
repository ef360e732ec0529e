import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';

import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IDEMPOTENCY_SCOPE } from './idempotency-scope.metadata';

/**
 * Makes a route idempotent under `scope` (the operation's name, e.g. `bets.place`): it requires the
 * `X-Tenant-Id` and `X-Idempotency-Key` headers, runs once per key and replays its response to retries.
 * The controller's module must import `IdempotencyModule.forRoot()`.
 */
export function Idempotent(scope: string): MethodDecorator {
  if (scope.trim() === '') throw new Error('@Idempotent needs a scope name');
  return applyDecorators(SetMetadata(IDEMPOTENCY_SCOPE, scope), UseInterceptors(IdempotencyInterceptor));
}
