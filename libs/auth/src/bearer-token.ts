import { PitbossError } from '@pitboss/contracts';

// RFC 6750 b64token; a JWT is three base64url parts, checked by the verifier.
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;

/** The token of an `Authorization: Bearer <token>` header, or UNAUTHENTICATED. The scheme is case-insensitive. */
export function bearerTokenOf(authorization: string | readonly string[] | undefined): string {
  if (typeof authorization !== 'string') {
    throw new PitbossError('UNAUTHENTICATED', 'this route needs Authorization: Bearer <access token>');
  }
  const match = BEARER.exec(authorization.replace(/^bearer /i, 'Bearer '));
  if (match?.[1] === undefined) {
    throw new PitbossError('UNAUTHENTICATED', 'the Authorization header is not "Bearer <access token>"');
  }
  return match[1];
}
