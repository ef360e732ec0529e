import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  LOCAL_DEV_TENANT_ED25519_KEYS,
  signRequestEd25519,
  TenantPublicKeys,
  TenantSecrets,
  verifyRequest,
} from '@pitboss/security';

import { signingString } from './sign-request';
import {
  ED25519_WORKED_EXAMPLE,
  ed25519Headers,
  ed25519Signature,
  registeredPublicKey,
} from './sign-request-ed25519';

const GUIDE = readFileSync(join(__dirname, '../../docs/aggregator-guide.md'), 'utf8');
// The worked example as the guide prints it, up to the next heading of its level or above.
const SECTION = /#### Ed25519 worked example\n([\s\S]*?)\n#{1,4} /.exec(GUIDE)?.[1] ?? '';

function fromGuide() {
  const privateKeyPem = /-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+?-----END PRIVATE KEY-----\n/.exec(
    SECTION,
  )?.[0];
  const registration = /`TENANT_ED25519_KEYS=([^`]+)`/.exec(SECTION)?.[1];
  const examples = [
    ...SECTION.matchAll(/signing string: (.*)\nX-Key-Id: +(\S+)\nX-Signature: +(\S+)\n/g),
  ].map(([, signed, keyId, signature]) => ({ signed: signed!, keyId: keyId!, signature: signature! }));
  return { privateKeyPem, registration, examples };
}

describe('docs/aggregator-guide.md, Ed25519 worked example', () => {
  const guide = fromGuide();
  const { tenantId, keyId, requests } = ED25519_WORKED_EXAMPLE;

  it('prints a private key, its registration and one example per worked request', () => {
    expect(guide.privateKeyPem).toBe(ED25519_WORKED_EXAMPLE.privateKeyPem);
    expect(guide.registration).toBe(`${tenantId}:${keyId}:${registeredPublicKey(guide.privateKeyPem!)}`);
    expect(guide.registration).toBe(LOCAL_DEV_TENANT_ED25519_KEYS);
    expect(guide.examples.map((example) => example.signed)).toEqual(requests.map(signingString));
  });

  it.each(requests.map((request, index) => [`${request.method} ${request.path}`, request, index] as const))(
    "shows for %s the signature the gateway verifies under the guide's registered key",
    (_name, request, index) => {
      const example = guide.examples[index]!;
      const tenants = new TenantSecrets([]).withPublicKeys(TenantPublicKeys.parse(guide.registration!));
      const headers = { 'X-Key-Id': example.keyId, 'X-Signature': example.signature };
      const verify = (signature: string) =>
        verifyRequest({
          tenants,
          tenantId,
          timestamp: String(request.timestamp),
          keyId: headers['X-Key-Id'],
          signature,
          method: request.method,
          path: request.path,
          idempotencyKey: request.idempotencyKey === '' ? undefined : request.idempotencyKey,
          body: request.body,
          now: request.timestamp,
        });

      expect(verify(example.signature)).toBe(tenantId);
      const flipped = `${example.signature.slice(0, -1)}${example.signature.endsWith('0') ? '1' : '0'}`;
      expect(() => verify(flipped)).toThrow(expect.objectContaining({ code: 'INVALID_SIGNATURE' }));
      // Deterministic: the guide's private key, the example script and libs/security all produce it.
      expect(ed25519Signature(guide.privateKeyPem!, request)).toBe(example.signature);
      expect(signRequestEd25519({ privateKey: guide.privateKeyPem!, ...request })).toBe(example.signature);
      expect(ed25519Headers(tenantId, keyId, guide.privateKeyPem!, request)).toMatchObject({
        'X-Key-Id': example.keyId,
        'X-Signature': example.signature,
      });
    },
  );
});
