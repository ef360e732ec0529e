import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';

import { type Principal, type Scope } from '../principal';
import { BearerTokenGuard, principalOfRequest } from './bearer-token.guard';

/** Route or controller metadata: the scopes a bearer token must carry (all of them). */
export const REQUIRED_SCOPES = Symbol('REQUIRED_SCOPES');
/** Route or controller metadata: where the tenant the request acts on comes from. */
export const TENANT_SOURCE = Symbol('TENANT_SOURCE');

/**
 * The tenant a route acts on, compared with the token's `tenant_id` before the handler runs:
 * - `{ param: 'tenantId' }`: a path parameter; `{ body: 'tenant_id' }`: a top-level field of the JSON body;
 * - `'platform'`: the platform itself (the gateway's mode), so only the platform's own clients may call it.
 * A platform token does not act on a brand's routes: the realm gives no client a wildcard tenant.
 */
export type TenantSource = { readonly param: string } | { readonly body: string } | 'platform';

/**
 * Requires `Authorization: Bearer <access token>` from the configured issuer, with every scope named here
 * (403 INSUFFICIENT_SCOPE naming the first missing one). Needs `AuthModule` in the app.
 */
export function RequireScopes(...scopes: readonly Scope[]): ClassDecorator & MethodDecorator {
  return applyDecorators(SetMetadata(REQUIRED_SCOPES, scopes), UseGuards(BearerTokenGuard));
}

/** Binds the route to a tenant (see `TenantSource`); a token of another tenant gets 403 TENANT_MISMATCH. */
export function ActsOnTenant(source: TenantSource): ClassDecorator & MethodDecorator {
  return SetMetadata(TENANT_SOURCE, source);
}

/** The verified principal of a route guarded by `@RequireScopes(...)`. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal =>
  principalOfRequest(context.switchToHttp().getRequest()),
);
