import { PitbossError } from '@pitboss/contracts';

import { signRequest } from './sign-request';
import { TenantSecrets } from './tenant-secrets';
import { type GrpcMetadataReader, verifyGrpcRequest } from './verify-grpc-request';

const NOW = 1_700_000_000_000;
const PATH = '/pitboss.gateway.v1.BetGateway/AuthorizeBet';
const BODY = Buffer.from([0x0a, 0x05, ...Buffer.from('bet-1'), 0x10, 0xfa, 0x01]);
const tenants = TenantSecrets.parse('acme:grpc-secret');

function metadata(entries: Record<string, ReadonlyArray<string | Buffer>>): GrpcMetadataReader {
  return { get: (key) => entries[key] ?? [] };
}

/** A call signed under `idempotencyKey` and carrying it; `null`: signed without a key, and carrying none. */
function signedMetadata(idempotencyKey: string | null = 'authorize:bet-1'): Record<string, string[]> {
  const signature = signRequest({
    secret: 'grpc-secret',
    timestamp: NOW,
    method: 'GRPC',
    path: PATH,
    idempotencyKey: idempotencyKey ?? undefined,
    body: BODY,
  });
  return {
    'x-tenant-id': ['acme'],
    'x-timestamp': [String(NOW)],
    'x-signature': [signature],
    ...(idempotencyKey === null ? {} : { 'x-idempotency-key': [idempotencyKey] }),
  };
}

function errorCodeOf(entries: Record<string, ReadonlyArray<string | Buffer>>): string {
  try {
    verifyGrpcRequest({ tenants, metadata: metadata(entries), path: PATH, body: BODY, now: NOW });
    return 'none';
  } catch (error) {
    if (error instanceof PitbossError) return error.code;
    throw error;
  }
}

describe(verifyGrpcRequest.name, () => {
  it('verifies the serialized request under METHOD GRPC and the full method path', () => {
    const sut = verifyGrpcRequest({
      tenants,
      metadata: metadata(signedMetadata()),
      path: PATH,
      body: BODY,
      now: NOW,
    });

    expect(sut).toBe('acme');
  });

  it('refuses other bytes than the ones signed', () => {
    const body = Buffer.concat([BODY, Buffer.from([0x00])]);

    expect(() =>
      verifyGrpcRequest({ tenants, metadata: metadata(signedMetadata()), path: PATH, body, now: NOW }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_SIGNATURE' }));
  });

  it('verifies the x-idempotency-key entry of the metadata: a signature for key A fails under key B', () => {
    expect(errorCodeOf(signedMetadata('key-a'))).toBe('none');
    expect(errorCodeOf({ ...signedMetadata('key-a'), 'x-idempotency-key': ['key-b'] })).toBe(
      'INVALID_SIGNATURE',
    );
    expect(errorCodeOf({ ...signedMetadata('key-a'), 'x-idempotency-key': [] })).toBe('INVALID_SIGNATURE');
  });

  it('verifies a call that carries no key against a signature over no key', () => {
    expect(errorCodeOf(signedMetadata(null))).toBe('none');
    expect(errorCodeOf({ ...signedMetadata(null), 'x-idempotency-key': ['added-later'] })).toBe(
      'INVALID_SIGNATURE',
    );
  });

  it.each([
    ['repeated', ['key-a', 'key-a']],
    ['binary', [Buffer.from('key-a')]],
  ])('counts a %s key entry as no key', (_case, values) => {
    expect(errorCodeOf({ ...signedMetadata('key-a'), 'x-idempotency-key': values })).toBe(
      'INVALID_SIGNATURE',
    );
    expect(errorCodeOf({ ...signedMetadata(null), 'x-idempotency-key': values })).toBe('none');
  });

  it('treats a repeated tenant entry as missing', () => {
    const entries = { ...signedMetadata(), 'x-tenant-id': ['acme', 'acme'] };

    expect(() =>
      verifyGrpcRequest({ tenants, metadata: metadata(entries), path: PATH, body: BODY, now: NOW }),
    ).toThrow(PitbossError);
  });
});
