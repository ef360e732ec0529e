import { createHmac, type KeyObject, sign } from 'node:crypto';

import {
  IDEMPOTENCY_KEY_HEADER,
  KEY_ID_HEADER,
  SIGNATURE_HEADER,
  TENANT_ID_HEADER,
  TIMESTAMP_HEADER,
} from './signature-headers';
import { type SigningParts, signingString } from './signing-string';

/**
 * Signing as the aggregator does it. This file, `signing-string.ts` and `signature-headers.ts` use node:crypto
 * only, so the demo, the bench and the integration guide use exactly the code the gateway verifies against.
 */
export interface SignRequestInput extends SigningParts {
  readonly secret: string;
}

/** Lower-case hex HMAC-SHA256 of the signing string with the tenant's secret: the `X-Signature` value. */
export function signRequest({ secret, ...parts }: SignRequestInput): string {
  return createHmac('sha256', secret).update(signingString(parts)).digest('hex');
}

export interface SignedHeadersInput extends SignRequestInput {
  readonly tenantId: string;
}

/**
 * The three headers of a signed request, plus `x-idempotency-key` when a key was signed (so the key sent is the
 * key signed), ready to merge into a fetch/undici call or gRPC metadata.
 */
export function signedHeaders(input: SignedHeadersInput): Record<string, string> {
  return {
    [TENANT_ID_HEADER]: input.tenantId,
    [TIMESTAMP_HEADER]: String(input.timestamp),
    [SIGNATURE_HEADER]: signRequest(input),
    ...(input.idempotencyKey === undefined ? {} : { [IDEMPOTENCY_KEY_HEADER]: input.idempotencyKey }),
  };
}

export interface SignRequestEd25519Input extends SigningParts {
  /** The tenant's Ed25519 private key: a KeyObject, or PEM (PKCS#8). */
  readonly privateKey: KeyObject | string;
}

/** Lower-case hex Ed25519 signature (64 bytes) of the signing string: the `X-Signature` value beside `X-Key-Id`. */
export function signRequestEd25519({ privateKey, ...parts }: SignRequestEd25519Input): string {
  return sign(null, signingString(parts), privateKey).toString('hex');
}

export interface SignedHeadersEd25519Input extends SignRequestEd25519Input {
  readonly tenantId: string;
  readonly keyId: string;
}

/** `signedHeaders` for an Ed25519-signed request: the same headers plus `x-key-id`. */
export function signedHeadersEd25519(input: SignedHeadersEd25519Input): Record<string, string> {
  return {
    [TENANT_ID_HEADER]: input.tenantId,
    [TIMESTAMP_HEADER]: String(input.timestamp),
    [KEY_ID_HEADER]: input.keyId,
    [SIGNATURE_HEADER]: signRequestEd25519(input),
    ...(input.idempotencyKey === undefined ? {} : { [IDEMPOTENCY_KEY_HEADER]: input.idempotencyKey }),
  };
}
