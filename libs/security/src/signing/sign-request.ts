import { createHmac } from 'node:crypto';

import {
  IDEMPOTENCY_KEY_HEADER,
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
