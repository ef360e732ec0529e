import { IdempotencyError, IdempotencyErrorCode } from './idempotency.error';
import { idempotencyHttpStatus } from './idempotency-http-status';

describe(idempotencyHttpStatus.name, () => {
  const sut = idempotencyHttpStatus;

  it.each([
    [IdempotencyErrorCode.KeyMissing, 400, false],
    [IdempotencyErrorCode.KeyInvalid, 400, false],
    [IdempotencyErrorCode.TenantMissing, 400, false],
    [IdempotencyErrorCode.Mismatch, 422, false],
    [IdempotencyErrorCode.InProgress, 409, true],
  ])('maps %s to %i (retryable: %s)', (code, status, retryable) => {
    expect(sut(code)).toBe(status);
    expect(new IdempotencyError(code, 'm').retryable).toBe(retryable);
  });

  it('covers every code', () => {
    for (const code of Object.values(IdempotencyErrorCode)) expect(() => sut(code)).not.toThrow();
  });
});
