import { createHmac, timingSafeEqual } from 'node:crypto';

import { PitbossError } from '@pitboss/contracts';

import { type SigningParts, signingString } from './signing-string';
import { type TenantSecretLookup } from './tenant-secrets';

/** How far `X-Timestamp` may be from server time, either way, unless configured otherwise. */
export const DEFAULT_MAX_SKEW_MS = 300_000;

export interface VerifyRequestInput extends Omit<SigningParts, 'timestamp'> {
  readonly tenants: TenantSecretLookup;
  /** The raw header values; `undefined` when a header is absent. */
  readonly tenantId: string | undefined;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  /** Server time in unix milliseconds. */
  readonly now: number;
  readonly maxSkewMs?: number;
}

const TIMESTAMP_PATTERN = /^\d{1,16}$/;
// Lower case only, as documented: one spelling per signature, so no client comes to rely on a tolerance.
const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/;

/**
 * Checks a signed request and returns its tenant id. Throws `PitbossError` UNKNOWN_TENANT, then STALE_TIMESTAMP,
 * then INVALID_SIGNATURE, in that order, so a caller without a valid tenant learns nothing about timestamps or
 * signatures. A signature valid under any of the tenant's secrets (two during rotation) passes.
 */
export function verifyRequest({
  tenants,
  tenantId,
  timestamp,
  signature,
  now,
  maxSkewMs = DEFAULT_MAX_SKEW_MS,
  ...request
}: VerifyRequestInput): string {
  const secrets = tenantId === undefined || tenantId === '' ? undefined : tenants.secretsOf(tenantId);
  if (tenantId === undefined || secrets === undefined) {
    throw new PitbossError('UNKNOWN_TENANT', 'X-Tenant-Id is missing or names no configured tenant');
  }

  if (timestamp === undefined || !TIMESTAMP_PATTERN.test(timestamp)) {
    throw new PitbossError('STALE_TIMESTAMP', 'X-Timestamp must be the request time in unix milliseconds');
  }
  // Replays are bounded by this window. Inside it a replay is harmless: the idempotency key is signed, so a
  // captured request can only be sent again under its own key, which answers the stored answer.
  if (Math.abs(now - Number(timestamp)) > maxSkewMs) {
    throw new PitbossError('STALE_TIMESTAMP', `X-Timestamp is more than ${maxSkewMs} ms from server time`, {
      server_time: now,
    });
  }

  if (signature === undefined || !SIGNATURE_PATTERN.test(signature)) {
    throw new PitbossError(
      'INVALID_SIGNATURE',
      'X-Signature must be 64 lower-case hex characters (HMAC-SHA256)',
    );
  }
  const presented = Buffer.from(signature, 'hex');
  const signed = signingString({ ...request, timestamp });
  // Every secret is tried, not only until the first match, so timing does not reveal which one matched.
  let valid = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(signed).digest();
    if (expected.length === presented.length && timingSafeEqual(expected, presented)) valid = true;
  }
  if (!valid) throw new PitbossError('INVALID_SIGNATURE', 'X-Signature does not match the request');
  return tenantId;
}
