import { createHash } from 'node:crypto';

import { canonicalJson } from './canonical-json';

export interface FingerprintedRequest {
  readonly method: string;
  /** The request path without query string, e.g. `/v1/bets/b-1/settle`. */
  readonly path: string;
  readonly body: unknown;
}

/**
 * SHA-256 (hex) of method, path and canonical body: what "the same payload" means for a key. The newline cannot
 * occur in a method or a path, so the three parts cannot run into each other.
 */
export function requestFingerprint(request: FingerprintedRequest): string {
  return createHash('sha256')
    .update(`${request.method.toUpperCase()}\n${request.path}\n${canonicalJson(request.body)}`)
    .digest('hex');
}
