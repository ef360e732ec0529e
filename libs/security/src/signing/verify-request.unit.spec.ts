import { type ErrorCode, PitbossError } from '@pitboss/contracts';

import { signRequest } from './sign-request';
import { TenantSecrets } from './tenant-secrets';
import { DEFAULT_MAX_SKEW_MS, verifyRequest, type VerifyRequestInput } from './verify-request';

const NOW = 1_735_689_600_000;
const tenants = TenantSecrets.parse('acme:acme-secret,rotating:new-secret,rotating:old-secret');

function signedInput(
  overrides: Partial<VerifyRequestInput> = {},
  secret = 'acme-secret',
): VerifyRequestInput {
  const request = { method: 'POST', path: '/v1/bets?x=1', idempotencyKey: 'key-a', body: '{"a":1}' };
  const timestamp = overrides.timestamp ?? String(NOW);
  return {
    tenants,
    tenantId: 'acme',
    timestamp,
    signature: signRequest({ secret, timestamp, ...request }),
    now: NOW,
    ...request,
    ...overrides,
  };
}

function errorCodeOf(input: VerifyRequestInput): ErrorCode | 'none' {
  try {
    verifyRequest(input);
    return 'none';
  } catch (error) {
    if (error instanceof PitbossError) return error.code;
    throw error;
  }
}

describe(verifyRequest.name, () => {
  it('returns the tenant of a correctly signed request', () => {
    expect(verifyRequest(signedInput())).toBe('acme');
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['unknown', 'nobody'],
    ['an object prototype key', '__proto__'],
  ])('refuses a %s tenant with UNKNOWN_TENANT', (_case, tenantId) => {
    expect(errorCodeOf(signedInput({ tenantId }))).toBe('UNKNOWN_TENANT');
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['not a number', 'yesterday'],
    ['fractional', `${NOW}.5`],
    ['negative', `-${NOW}`],
    ['in seconds, not milliseconds', String(NOW / 1000)],
    ['in exponent notation', '1.7e12'],
  ])('refuses a %s timestamp with STALE_TIMESTAMP', (_case, timestamp) => {
    expect(errorCodeOf(signedInput({ timestamp }))).toBe('STALE_TIMESTAMP');
  });

  it.each([
    ['exactly the allowed skew in the past', NOW - DEFAULT_MAX_SKEW_MS, 'none'],
    ['exactly the allowed skew in the future', NOW + DEFAULT_MAX_SKEW_MS, 'none'],
    ['1 ms beyond the skew in the past', NOW - DEFAULT_MAX_SKEW_MS - 1, 'STALE_TIMESTAMP'],
    ['1 ms beyond the skew in the future', NOW + DEFAULT_MAX_SKEW_MS + 1, 'STALE_TIMESTAMP'],
  ])('at %s answers %s', (_case, timestamp, expected) => {
    expect(errorCodeOf(signedInput({ timestamp: String(timestamp) }))).toBe(expected);
  });

  it('honours a configured skew', () => {
    const input = signedInput({ timestamp: String(NOW - 2_000), maxSkewMs: 1_000 });

    expect(errorCodeOf(input)).toBe('STALE_TIMESTAMP');
    expect(errorCodeOf({ ...input, maxSkewMs: 2_000 })).toBe('none');
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['not hex', 'z'.repeat(64)],
    ['too short', 'ab'.repeat(31)],
    ['too long', 'ab'.repeat(33)],
    ['base64 instead of hex', Buffer.alloc(32, 1).toString('base64')],
  ])('refuses a %s signature with INVALID_SIGNATURE', (_case, signature) => {
    expect(errorCodeOf(signedInput({ signature }))).toBe('INVALID_SIGNATURE');
  });

  it('refuses a signature made with another secret', () => {
    expect(errorCodeOf(signedInput({}, 'wrong-secret'))).toBe('INVALID_SIGNATURE');
  });

  it.each([
    ['method', { method: 'PUT' }],
    ['path', { path: '/v1/bets' }],
    ['query string', { path: '/v1/bets?x=2' }],
    ['body', { body: '{"a":2}' }],
    ['body whitespace', { body: '{"a": 1}' }],
    ['idempotency key', { idempotencyKey: 'key-b' }],
    ['idempotency key (removed)', { idempotencyKey: undefined }],
  ])('refuses a request whose %s changed after signing', (_case, change) => {
    expect(errorCodeOf({ ...signedInput(), ...change })).toBe('INVALID_SIGNATURE');
  });

  it('refuses a signature replayed under another tenant', () => {
    expect(errorCodeOf(signedInput({ tenantId: 'rotating' }))).toBe('INVALID_SIGNATURE');
  });

  it('refuses a correct signature spelt in upper-case hex, as the guide says lower case', () => {
    const input = signedInput();
    const upper = input.signature?.toUpperCase();
    const mixed = `${input.signature?.slice(0, 32).toUpperCase()}${input.signature?.slice(32)}`;

    expect(errorCodeOf(input)).toBe('none');
    expect(upper).not.toBe(input.signature);
    expect(errorCodeOf({ ...input, signature: upper })).toBe('INVALID_SIGNATURE');
    expect(errorCodeOf({ ...input, signature: mixed })).toBe('INVALID_SIGNATURE');
  });

  it('verifies a key that was signed and sent, and a request that sent none and signed none', () => {
    const withoutKey = { method: 'GET', path: '/v1/bets/b-1', body: '' };
    const unkeyed = signedInput({
      ...withoutKey,
      idempotencyKey: undefined,
      signature: signRequest({ secret: 'acme-secret', timestamp: String(NOW), ...withoutKey }),
    });

    expect(errorCodeOf(signedInput())).toBe('none');
    expect(errorCodeOf(unkeyed)).toBe('none');
    expect(errorCodeOf({ ...unkeyed, idempotencyKey: '' })).toBe('none');
    expect(errorCodeOf({ ...unkeyed, idempotencyKey: 'added-later' })).toBe('INVALID_SIGNATURE');
  });

  it('accepts either secret of a tenant under rotation, and no other', () => {
    const rotating = { tenantId: 'rotating' };

    expect(errorCodeOf(signedInput(rotating, 'new-secret'))).toBe('none');
    expect(errorCodeOf(signedInput(rotating, 'old-secret'))).toBe('none');
    expect(errorCodeOf(signedInput(rotating, 'acme-secret'))).toBe('INVALID_SIGNATURE');
  });

  it('verifies a Buffer body against a signature over the same string', () => {
    const input = signedInput();

    expect(verifyRequest({ ...input, body: Buffer.from('{"a":1}') })).toBe('acme');
  });

  it('checks the tenant first, then the timestamp, then the signature', () => {
    const allWrong = { tenantId: 'nobody', timestamp: 'x', signature: 'y' };

    expect(errorCodeOf(signedInput(allWrong))).toBe('UNKNOWN_TENANT');
    expect(errorCodeOf(signedInput({ ...allWrong, tenantId: 'acme' }))).toBe('STALE_TIMESTAMP');
    expect(errorCodeOf(signedInput({ ...allWrong, tenantId: 'acme', timestamp: String(NOW) }))).toBe(
      'INVALID_SIGNATURE',
    );
  });

  it('puts no secret in its errors', () => {
    try {
      verifyRequest(signedInput({}, 'wrong-secret'));
    } catch (error) {
      expect(JSON.stringify([error, (error as Error).message])).not.toContain('acme-secret');
    }
    expect.assertions(1);
  });
});
