import { IdempotencyError, IdempotencyErrorCode } from './idempotency.error';
import { MAX_IDEMPOTENCY_KEY_LENGTH, validateIdempotencyKey } from './idempotency-key';

function codeOf(work: () => unknown): IdempotencyErrorCode | undefined {
  try {
    work();
    return undefined;
  } catch (error) {
    if (error instanceof IdempotencyError) return error.code;
    throw error;
  }
}

describe(validateIdempotencyKey.name, () => {
  const sut = validateIdempotencyKey;

  it.each([
    'k',
    '8e03978e-40d5-43e8-bc93-6894a57f9324',
    'bet:b-1:debit',
    'a b',
    'x'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH),
  ])('accepts %j', (key) => {
    expect(sut(key)).toBe(key);
  });

  it.each([undefined, ''])('refuses %j as missing', (key) => {
    expect(codeOf(() => sut(key))).toBe(IdempotencyErrorCode.KeyMissing);
  });

  it.each([
    ['too long', 'x'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1)],
    ['blank', '   '],
    ['padded', ' key '],
    ['a control character', 'key\n1'],
    ['a non-ASCII character', 'clé'],
    ['several header values', ['a', 'b']],
  ])('refuses a key that is %s as invalid', (_, key) => {
    expect(codeOf(() => sut(key))).toBe(IdempotencyErrorCode.KeyInvalid);
  });
});
