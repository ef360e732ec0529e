/**
 * Signing a Pitboss bet-gateway request with an Ed25519 key instead of an HMAC secret, with nothing but
 * node:crypto (Node 20+). See docs/aggregator-guide.md, "Ed25519".
 *
 *   npx tsx tools/examples/sign-request-ed25519.ts
 *       prints the signing string and signature of the guide's Ed25519 worked examples
 */
import { createPrivateKey, createPublicKey, type KeyObject, sign } from 'node:crypto';

import { type RequestToSign, signingString, WORKED_EXAMPLES } from './sign-request';

/** Lower-case hex of the 64-byte Ed25519 signature of the signing string's UTF-8 bytes: the `X-Signature`. */
export function ed25519Signature(privateKey: KeyObject | string, request: RequestToSign): string {
  return sign(null, Buffer.from(signingString(request), 'utf8'), privateKey).toString('hex');
}

/** The signature headers of an Ed25519-signed request: `X-Key-Id` names the registered public key. */
export function ed25519Headers(
  tenantId: string,
  keyId: string,
  privateKey: KeyObject | string,
  request: RequestToSign,
): Record<string, string> {
  return {
    'X-Tenant-Id': tenantId,
    'X-Timestamp': String(request.timestamp),
    'X-Key-Id': keyId,
    'X-Signature': ed25519Signature(privateKey, request),
    ...(request.idempotencyKey === '' ? {} : { 'X-Idempotency-Key': request.idempotencyKey }),
  };
}

/** What the operator registers: the public key as SPKI DER in base64, the body of its PEM. */
export function registeredPublicKey(privateKey: KeyObject | string): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  return createPublicKey(key).export({ format: 'der', type: 'spki' }).toString('base64');
}

/**
 * The guide's Ed25519 worked example: `demo-tenant`, key id `demo-key-1`, and RFC 8032's first test key, which is
 * public (examples and the local stack only), over the same requests as the HMAC examples.
 */
export const ED25519_WORKED_EXAMPLE = {
  tenantId: WORKED_EXAMPLES.tenantId,
  keyId: 'demo-key-1',
  privateKeyPem: [
    '-----BEGIN PRIVATE KEY-----',
    'MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g',
    '-----END PRIVATE KEY-----',
    '',
  ].join('\n'),
  requests: WORKED_EXAMPLES.requests,
};

if (require.main === module) {
  const { tenantId, keyId, privateKeyPem, requests } = ED25519_WORKED_EXAMPLE;
  console.log(`TENANT_ED25519_KEYS=${tenantId}:${keyId}:${registeredPublicKey(privateKeyPem)}\n`);
  for (const request of requests) {
    console.log(`signing string: ${signingString(request)}`);
    console.log(`X-Key-Id:       ${keyId}`);
    console.log(`X-Signature:    ${ed25519Signature(privateKeyPem, request)}\n`);
  }
}
