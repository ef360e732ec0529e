import { createHmac } from 'node:crypto';

import { SIGNATURE_HEADER, TENANT_ID_HEADER, TIMESTAMP_HEADER } from './signature-headers';
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

/** The three headers of a signed request, ready to merge into a fetch/undici call. */
export function signedHeaders(input: SignedHeadersInput): Record<string, string> {
  return {
    [TENANT_ID_HEADER]: input.tenantId,
    [TIMESTAMP_HEADER]: String(input.timestamp),
    [SIGNATURE_HEADER]: signRequest(input),
  };
}
