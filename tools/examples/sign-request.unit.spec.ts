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
  'a363bb625a96d21615ed82978942d7e89b7b3e64647becde6d99de856c225af3',
  '3860483f85bd3cb42820ff00b26b895f6c2d9479728aa2a10510f5a309a71a32',
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

  it('produces headers the gateway verifies', () => {
    const [request] = requests;
    if (request === undefined) throw new Error('no worked example');
    const headers = signedHeaders(tenantId, secret, request);

    const sut = verifyRequest({
      tenants: TenantSecrets.parse(`${tenantId}:${secret}`),
      tenantId: headers['X-Tenant-Id'],
      timestamp: headers['X-Timestamp'],
      signature: headers['X-Signature'],
      method: request.method,
      path: request.path,
      body: request.body,
      now: request.timestamp,
    });

    expect(sut).toBe(tenantId);
  });

  it('signs non-ASCII bodies as UTF-8 bytes, as the gateway verifies them', () => {
    const request = {
      timestamp: 1,
      method: 'post',
      path: '/v1/bets/rollback',
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
