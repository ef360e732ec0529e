import {
  signingString as gatewaySigningString,
  signRequest,
  verifyRequest,
  TenantSecrets,
} from '@pitboss/security';

import { optionsOf, signature, signedHeaders, signingString, WORKED_EXAMPLES } from './sign-request';

// Computed independently of both implementations:
//   printf '%s' '<signing string>' | openssl dgst -sha256 -hmac demo-secret
const OPENSSL_SIGNATURES = [
  '9caa00ac43b418f8a2318c6a726dff8a45bd36e982303b9a82397d1fb2d1911b',
  '0eb805d85e76c94e1cfa0cb8d9489c96f9bd86304e1406e6d150df8a46b88035',
];

describe('tools/examples/sign-request', () => {
  const { tenantId, secret, requests } = WORKED_EXAMPLES;

  it.each(requests.map((request, index) => [`${request.method} ${request.path}`, request, index] as const))(
    'signs the worked example %s as libs/security does',
    (_name, request, index) => {
      const sut = signature(secret, request);

      expect(sut).toBe(signRequest({ secret, ...request }));
      expect(sut).toBe(OPENSSL_SIGNATURES[index]);
      expect(Buffer.from(signingString(request), 'utf8')).toEqual(gatewaySigningString(request));
    },
  );

  it.each(requests.map((request) => [`${request.method} ${request.path}`, request] as const))(
    'produces headers the gateway verifies for %s, the idempotency key they carry included',
    (_name, request) => {
      const headers = signedHeaders(tenantId, secret, request);
      const verify = (idempotencyKey: string | undefined) =>
        verifyRequest({
          tenants: TenantSecrets.parse(`${tenantId}:${secret}`),
          tenantId: headers['X-Tenant-Id'],
          timestamp: headers['X-Timestamp'],
          signature: headers['X-Signature'],
          method: request.method,
          path: request.path,
          idempotencyKey,
          body: request.body,
          now: request.timestamp,
        });

      expect(headers['X-Idempotency-Key']).toBe(
        request.idempotencyKey === '' ? undefined : request.idempotencyKey,
      );
      expect(verify(headers['X-Idempotency-Key'])).toBe(tenantId);
      expect(() => verify('another-key')).toThrow(expect.objectContaining({ code: 'INVALID_SIGNATURE' }));
    },
  );

  it('signs non-ASCII bodies as UTF-8 bytes, as the gateway verifies them', () => {
    const request = {
      timestamp: 1,
      method: 'post',
      path: '/v1/bets/rollback',
      idempotencyKey: 'rollback:bet-1',
      body: '{"reason":"annulé €"}',
    };
    expect(signature('s', request)).toBe(signRequest({ secret: 's', ...request }));
  });

  it('reads the command line, defaulting to the worked example tenant', () => {
    expect(optionsOf([])).toEqual(expect.objectContaining({ tenant: 'demo-tenant', secret: 'demo-secret' }));
    expect(optionsOf([])).not.toHaveProperty('url');
    expect(
      optionsOf(['--url', 'http://127.0.0.1:3000', '--tenant', 'acme', '--secret', 's', '--replay']),
    ).toEqual(
      expect.objectContaining({ url: 'http://127.0.0.1:3000', tenant: 'acme', secret: 's', replay: true }),
    );
    expect(() => optionsOf(['--url'])).toThrow('--url needs a value');
  });
});
