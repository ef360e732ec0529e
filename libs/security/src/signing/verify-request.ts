import { createHmac, timingSafeEqual, verify } from 'node:crypto';

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
  /**
   * `X-Key-Id`: present, the request is signed with Ed25519 under the tenant's key of that id; absent, with
   * HMAC-SHA256 under the tenant's secret. The signing string is the same either way.
   */
  readonly keyId?: string | undefined;
  /** Server time in unix milliseconds. */
  readonly now: number;
  readonly maxSkewMs?: number;
}

const TIMESTAMP_PATTERN = /^\d{1,16}$/;
// Lower case only, as documented: one spelling per signature, so no client comes to rely on a tolerance.
const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/;
const ED25519_SIGNATURE_PATTERN = /^[0-9a-f]{128}$/;

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
  keyId,
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

  const signed = signingString({ ...request, timestamp });
  if (keyId !== undefined) {
    verifyEd25519(tenants, tenantId, keyId, signature, signed);
    return tenantId;
  }

  if (signature === undefined || !SIGNATURE_PATTERN.test(signature)) {
    throw new PitbossError(
      'INVALID_SIGNATURE',
      'X-Signature must be 64 lower-case hex characters (HMAC-SHA256)',
    );
  }
  const presented = Buffer.from(signature, 'hex');
  // Every secret is tried, not only until the first match, so timing does not reveal which one matched.
  let valid = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(signed).digest();
    if (expected.length === presented.length && timingSafeEqual(expected, presented)) valid = true;
  }
  if (!valid) throw new PitbossError('INVALID_SIGNATURE', 'X-Signature does not match the request');
  return tenantId;
}

/**
 * Ed25519 (RFC 8032) over the signing string, with node:crypto: the key the tenant registered under `keyId`.
 * An unknown key id and a revoked one (removed from the configuration) are refused alike.
 */
function verifyEd25519(
  tenants: TenantSecretLookup,
  tenantId: string,
  keyId: string,
  signature: string | undefined,
  signed: Buffer,
): void {
  const key = tenants.publicKeyOf?.(tenantId, keyId);
  if (key === undefined) {
    throw new PitbossError('INVALID_SIGNATURE', 'X-Key-Id names no active Ed25519 key of the tenant');
  }
  if (signature === undefined || !ED25519_SIGNATURE_PATTERN.test(signature)) {
    throw new PitbossError(
      'INVALID_SIGNATURE',
      'X-Signature must be 128 lower-case hex characters (Ed25519) when X-Key-Id is sent',
    );
  }
  if (!verify(null, signed, key, Buffer.from(signature, 'hex'))) {
    throw new PitbossError(
      'INVALID_SIGNATURE',
      'X-Signature does not match the request under the key X-Key-Id names',
    );
  }
}
