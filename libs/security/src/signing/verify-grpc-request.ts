import {
  GRPC_SIGNING_METHOD,
  IDEMPOTENCY_KEY_HEADER,
  KEY_ID_HEADER,
  SIGNATURE_HEADER,
  TENANT_ID_HEADER,
  TIMESTAMP_HEADER,
} from './signature-headers';
import { type TenantSecretLookup } from './tenant-secrets';
import { verifyRequest } from './verify-request';

/** The part of @grpc/grpc-js `Metadata` read here, so this file imports no transport. */
export interface GrpcMetadataReader {
  get(key: string): ReadonlyArray<string | Buffer>;
}

export interface VerifyGrpcRequestInput {
  readonly tenants: TenantSecretLookup;
  readonly metadata: GrpcMetadataReader;
  /** The full method path, e.g. `/pitboss.gateway.v1.BetGateway/AuthorizeBet`. */
  readonly path: string;
  /** The serialized request message exactly as received: the signature covers bytes, not a re-encoding. */
  readonly body: Buffer | Uint8Array;
  readonly now: number;
  readonly maxSkewMs?: number;
}

/**
 * `verifyRequest` for a gRPC call: same headers (as metadata), METHOD `GRPC`, the `x-idempotency-key` entry
 * signed like the HTTP header. Returns the tenant id.
 */
export function verifyGrpcRequest({ metadata, ...input }: VerifyGrpcRequestInput): string {
  return verifyRequest({
    ...input,
    method: GRPC_SIGNING_METHOD,
    tenantId: single(metadata, TENANT_ID_HEADER),
    timestamp: single(metadata, TIMESTAMP_HEADER),
    signature: single(metadata, SIGNATURE_HEADER),
    keyId: single(metadata, KEY_ID_HEADER),
    // Read here rather than passed in, so no caller can verify against another key than the call carries.
    // Absent, repeated or binary: the empty string, as the handlers then see no key (IDEMPOTENCY_KEY_MISSING).
    idempotencyKey: single(metadata, IDEMPOTENCY_KEY_HEADER),
  });
}

// A repeated or binary entry is treated as absent: the caller then gets the error code of that header (for the
// idempotency key: a signature over no key, and IDEMPOTENCY_KEY_MISSING from the command).
function single(metadata: GrpcMetadataReader, key: string): string | undefined {
  const values = metadata.get(key);
  if (values.length !== 1) return undefined;
  const [value] = values;
  return typeof value === 'string' ? value : undefined;
}
