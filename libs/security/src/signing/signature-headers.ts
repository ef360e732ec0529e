/** The request headers of the signing scheme, as Node presents them (lower case). Dependency-free on purpose. */
export const TENANT_ID_HEADER = 'x-tenant-id';
export const TIMESTAMP_HEADER = 'x-timestamp';
export const SIGNATURE_HEADER = 'x-signature';
/** Names the tenant's Ed25519 key a request is signed with; absent on HMAC-signed requests. */
export const KEY_ID_HEADER = 'x-key-id';
/** Not a signature header, but signed: see `SigningParts.idempotencyKey`. */
export const IDEMPOTENCY_KEY_HEADER = 'x-idempotency-key';

/** The METHOD part of the signing string for gRPC calls, whose path is the full method path. */
export const GRPC_SIGNING_METHOD = 'GRPC';
