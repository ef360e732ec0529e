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

function signedMetadata(): Record<string, string[]> {
  const signature = signRequest({
    secret: 'grpc-secret',
    timestamp: NOW,
    method: 'GRPC',
    path: PATH,
    body: BODY,
  });
  return { 'x-tenant-id': ['acme'], 'x-timestamp': [String(NOW)], 'x-signature': [signature] };
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

  it('treats a repeated tenant entry as missing', () => {
    const entries = { ...signedMetadata(), 'x-tenant-id': ['acme', 'acme'] };

    expect(() =>
      verifyGrpcRequest({ tenants, metadata: metadata(entries), path: PATH, body: BODY, now: NOW }),
    ).toThrow(PitbossError);
  });
});
