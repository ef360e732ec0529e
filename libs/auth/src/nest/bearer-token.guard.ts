import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { PitbossError } from '@pitboss/contracts';

import { bearerTokenOf } from '../bearer-token';
import { assertScopes, assertTenant } from '../claims';
import { PLATFORM_TENANT, type Principal } from '../principal';
import { TokenVerifier } from '../token-verifier';
import { REQUIRED_SCOPES, TENANT_SOURCE, type TenantSource } from './auth.decorators';

interface GuardedRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly params?: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
}

// Kept beside the request, not on it: nothing a client sends can pose as a verified principal.
const principals = new WeakMap<object, Principal>();

/** The principal `BearerTokenGuard` verified for this request; a route without the guard is a programming error. */
export function principalOfRequest(request: object): Principal {
  const principal = principals.get(request);
  if (principal === undefined) throw new Error('no verified principal: the route lacks @RequireScopes(...)');
  return principal;
}

/**
 * Verifies the bearer token (signature against the issuer's JWKS, `iss`, `aud`, `exp`), then the tenant the route
 * acts on (403 TENANT_MISMATCH), then its scopes (403 INSUFFICIENT_SCOPE): a brand's token on another brand's route
 * learns that it is the wrong tenant rather than which scopes the route needs.
 */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const principal = await this.verifier.verify(bearerTokenOf(request.headers['authorization']));
    const targets = [context.getHandler(), context.getClass()];
    const source = this.reflector.getAllAndOverride<TenantSource | undefined>(TENANT_SOURCE, targets);
    if (source !== undefined) assertTenant(principal, tenantOf(request, source));
    assertScopes(principal, this.reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES, targets));
    principals.set(request, principal);
    return true;
  }
}

function tenantOf(request: GuardedRequest, source: TenantSource): string {
  if (source === 'platform') return PLATFORM_TENANT;
  const value =
    'param' in source
      ? request.params?.[source.param]
      : (request.body as Readonly<Record<string, unknown>> | undefined)?.[source.body];
  if (typeof value !== 'string' || value === '') {
    // The route is bound to a tenant the request does not name: refuse rather than guess.
    throw new PitbossError('TENANT_MISMATCH', 'the request does not name the tenant it acts on');
  }
  return value;
}
