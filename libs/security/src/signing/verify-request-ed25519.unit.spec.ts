import { generateKeyPairSync, type KeyObject } from 'node:crypto';

import { type ErrorCode, PitbossError } from '@pitboss/contracts';
import { ConfigError } from '@pitboss/platform-config';

import { signedHeadersEd25519, signRequest, signRequestEd25519 } from './sign-request';
import { TenantPublicKeys } from './tenant-public-keys';
import { TenantSecrets } from './tenant-secrets';
import { verifyGrpcRequest } from './verify-grpc-request';
import { verifyRequest, type VerifyRequestInput } from './verify-request';

const NOW = 1_735_689_600_000;
const request = {
  method: 'POST',
  path: '/v1/bets/authorize',
  idempotencyKey: 'authorize:bet-1',
  body: '{"a":1}',
};

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  return { publicKey, privateKey, spki };
}

const [oldKey, newKey, strangerKey] = [keyPair(), keyPair(), keyPair()];

/** `acme` signs with HMAC and Ed25519; `edonly` only with Ed25519, its keys given by `keys`. */
function tenantsWith(edonlyKeys: string): TenantSecrets {
  return TenantSecrets.parse('acme:acme-secret').withPublicKeys(
    TenantPublicKeys.parse(`acme:acme-1:${oldKey.spki},${edonlyKeys}`),
  );
}

const underRotation = tenantsWith(`edonly:k-old:${oldKey.spki},edonly:k-new:${newKey.spki}`);
const afterRotation = tenantsWith(`edonly:k-new:${newKey.spki}`);

function signedInput(
  tenants: TenantSecrets,
  keyId: string,
  privateKey: KeyObject,
  overrides: Partial<VerifyRequestInput> = {},
): VerifyRequestInput {
  const timestamp = String(NOW);
  return {
    tenants,
    tenantId: 'edonly',
    timestamp,
    keyId,
    signature: signRequestEd25519({ privateKey, timestamp, ...request }),
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

describe('verifyRequest with Ed25519 (X-Key-Id)', () => {
  it('returns the tenant of a request signed with its registered key', () => {
    expect(verifyRequest(signedInput(underRotation, 'k-new', newKey.privateKey))).toBe('edonly');
  });

  it('refuses a signature made with another key than the one X-Key-Id names (INVALID_SIGNATURE)', () => {
    expect(errorCodeOf(signedInput(underRotation, 'k-new', oldKey.privateKey))).toBe('INVALID_SIGNATURE');
    expect(errorCodeOf(signedInput(underRotation, 'k-new', strangerKey.privateKey))).toBe(
      'INVALID_SIGNATURE',
    );
  });

  it('accepts both keys while a key is rotated, and the old one no more once it is revoked', () => {
    expect(errorCodeOf(signedInput(underRotation, 'k-old', oldKey.privateKey))).toBe('none');
    expect(errorCodeOf(signedInput(underRotation, 'k-new', newKey.privateKey))).toBe('none');
    expect(errorCodeOf(signedInput(afterRotation, 'k-new', newKey.privateKey))).toBe('none');
    expect(errorCodeOf(signedInput(afterRotation, 'k-old', oldKey.privateKey))).toBe('INVALID_SIGNATURE');
  });

  it("refuses another tenant's key id, and an unknown or empty one", () => {
    expect(errorCodeOf(signedInput(underRotation, 'acme-1', oldKey.privateKey))).toBe('INVALID_SIGNATURE');
    expect(errorCodeOf(signedInput(underRotation, 'nope', newKey.privateKey))).toBe('INVALID_SIGNATURE');
    expect(errorCodeOf(signedInput(underRotation, '', newKey.privateKey))).toBe('INVALID_SIGNATURE');
  });

  it.each([
    ['method', { method: 'PUT' }],
    ['path', { path: '/v1/bets/settle' }],
    ['body', { body: '{"a":2}' }],
    ['idempotency key', { idempotencyKey: 'authorize:bet-2' }],
    ['timestamp (signed)', { timestamp: String(NOW + 1) }],
  ])('refuses a request whose %s changed after signing', (_case, change) => {
    expect(errorCodeOf(signedInput(underRotation, 'k-new', newKey.privateKey, change))).toBe(
      'INVALID_SIGNATURE',
    );
  });

  it.each([
    ['missing', undefined],
    ['an HMAC-length hex', 'ab'.repeat(32)],
    [
      'upper-case hex',
      signRequestEd25519({ privateKey: newKey.privateKey, timestamp: NOW, ...request }).toUpperCase(),
    ],
    ['base64', Buffer.alloc(64, 1).toString('base64')],
  ])('refuses a %s signature', (_case, signature) => {
    expect(errorCodeOf(signedInput(underRotation, 'k-new', newKey.privateKey, { signature }))).toBe(
      'INVALID_SIGNATURE',
    );
  });

  it('checks the tenant first, then the timestamp, then the key and signature, as for HMAC', () => {
    const input = signedInput(underRotation, 'nope', newKey.privateKey, { signature: 'x' });
    expect(errorCodeOf({ ...input, tenantId: 'nobody' })).toBe('UNKNOWN_TENANT');
    expect(errorCodeOf({ ...input, timestamp: String(NOW - 600_000) })).toBe('STALE_TIMESTAMP');
    expect(errorCodeOf(input)).toBe('INVALID_SIGNATURE');
  });

  it('keeps HMAC for a tenant that has both, and refuses HMAC for a tenant with keys only', () => {
    const timestamp = String(NOW);
    const hmac = (tenantId: string, secret: string) =>
      errorCodeOf({
        tenants: underRotation,
        tenantId,
        timestamp,
        signature: signRequest({ secret, timestamp, ...request }),
        now: NOW,
        ...request,
      });
    expect(hmac('acme', 'acme-secret')).toBe('none');
    expect(hmac('edonly', 'acme-secret')).toBe('INVALID_SIGNATURE');
    expect(
      errorCodeOf({ ...signedInput(underRotation, 'acme-1', oldKey.privateKey), tenantId: 'acme' }),
    ).toBe('none');
  });

  it('verifies gRPC calls carrying x-key-id metadata', () => {
    const headers = signedHeadersEd25519({
      tenantId: 'edonly',
      keyId: 'k-new',
      privateKey: newKey.privateKey,
      timestamp: NOW,
      method: 'GRPC',
      path: '/pitboss.gateway.v1.BetGateway/AuthorizeBet',
      idempotencyKey: 'authorize:bet-1',
      body: Buffer.from([0x0a, 0x01, 0x41]),
    });
    const metadata = { get: (key: string) => (headers[key] === undefined ? [] : [headers[key]!]) };
    const verify = (body: Buffer) =>
      verifyGrpcRequest({
        tenants: underRotation,
        metadata,
        path: '/pitboss.gateway.v1.BetGateway/AuthorizeBet',
        body,
        now: NOW,
      });
    expect(verify(Buffer.from([0x0a, 0x01, 0x41]))).toBe('edonly');
    expect(() => verify(Buffer.from([0x0a, 0x01, 0x42]))).toThrow(
      expect.objectContaining({ code: 'INVALID_SIGNATURE' }),
    );
  });
});

describe(TenantPublicKeys.name, () => {
  it('parses tenant:key_id:SPKI entries, at most two keys per tenant', () => {
    const sut = TenantPublicKeys.parse(` a:k1:${oldKey.spki} , a:k2:${newKey.spki},b:k1:${newKey.spki}`);
    expect(sut.tenantIds()).toEqual(['a', 'b']);
    expect(sut.keyOf('a', 'k1')?.equals(oldKey.publicKey)).toBe(true);
    expect(sut.keyOf('a', 'k3')).toBeUndefined();
    expect(() =>
      TenantPublicKeys.parse(`a:k1:${oldKey.spki},a:k2:${newKey.spki},a:k3:${strangerKey.spki}`),
    ).toThrow(ConfigError);
  });

  it.each([
    ['no key id', `a:${oldKey.spki}`],
    ['a key listed twice', `a:k1:${oldKey.spki},a:k1:${newKey.spki}`],
    ['not base64', 'a:k1:not base64!'],
    ['not a key', 'a:k1:AAAA'],
    [
      'an RSA key',
      `a:k1:${generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'der', type: 'spki' }).toString('base64')}`,
    ],
    ['a bad key id', `a:k 1:${oldKey.spki}`],
  ])('refuses %s', (_case, text) => {
    expect(() => TenantPublicKeys.parse(text)).toThrow(ConfigError);
  });

  it('is empty unless configured, but for the local demo tenant on a machine with no tenant configured', () => {
    expect(TenantPublicKeys.fromEnv({ TENANT_SECRETS: 'acme:s' }).tenantIds()).toEqual([]);
    expect(TenantPublicKeys.fromEnv({ NODE_ENV: 'production' }).tenantIds()).toEqual([]);
    expect(TenantPublicKeys.fromEnv({}).tenantIds()).toEqual(['demo-tenant']);
    expect(TenantPublicKeys.fromEnv({ TENANT_ED25519_KEYS: `x:k:${oldKey.spki}` }).tenantIds()).toEqual([
      'x',
    ]);
  });

  it('lets production run on Ed25519 keys alone, and not on nothing', () => {
    const env = { NODE_ENV: 'production', TENANT_ED25519_KEYS: `x:k:${oldKey.spki}` };
    expect(TenantSecrets.fromEnv(env).secretsOf('x')).toEqual([]);
    expect(() => TenantSecrets.fromEnv({ NODE_ENV: 'production' })).toThrow(ConfigError);
  });
});
