/** Route metadata holding the scope given to `@Idempotent`. */
export const IDEMPOTENCY_SCOPE = Symbol('IDEMPOTENCY_SCOPE');
