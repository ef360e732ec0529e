/** What a signature covers. Dependency-free on purpose: aggregator integration code may copy this file. */
export interface SigningParts {
  /** Unix milliseconds, exactly as sent in `X-Timestamp`. */
  readonly timestamp: number | string;
  /** HTTP method, or `GRPC` for gRPC calls; upper-cased here so either side may pass `post`. */
  readonly method: string;
  /** Path with the query string exactly as sent (`/v1/bets?x=1`), or the gRPC full method path. */
  readonly path: string;
  /**
   * The `X-Idempotency-Key` header (gRPC: `x-idempotency-key` metadata) exactly as sent; absent means none sent.
   * Signed so that a captured request cannot be replayed under a new key, which would execute it again: under
   * its own key it only gets the stored answer back.
   */
  readonly idempotencyKey?: string;
  /** The raw body bytes (a string is taken as UTF-8); absent or empty means an empty body. */
  readonly body?: Buffer | Uint8Array | string;
}

/**
 * The bytes signed: `timestamp + "." + METHOD + "." + path + "." + idempotencyKey + "." + rawBody`, a missing key
 * or body being the empty string. Bytes, not a string, because a gRPC body is protobuf and would not survive a
 * round trip through a JavaScript string.
 */
export function signingString({ timestamp, method, path, idempotencyKey = '', body }: SigningParts): Buffer {
  const head = Buffer.from(`${String(timestamp)}.${method.toUpperCase()}.${path}.${idempotencyKey}.`, 'utf8');
  if (body === undefined || body.length === 0) return head;
  const tail = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  return Buffer.concat([head, tail]);
}
