import { SetMetadata } from '@nestjs/common';

/** Route or controller metadata that exempts it from `SignatureGuard`. */
export const PUBLIC_ROUTE = Symbol('PUBLIC_ROUTE');

/**
 * Serves a route (or every route of a controller) without a request signature: health, metrics, docs. Every
 * other route of an app with `SecurityModule` requires one.
 */
export function PublicRoute(): ClassDecorator & MethodDecorator {
  return SetMetadata(PUBLIC_ROUTE, true);
}
