import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { PitbossError } from '@pitboss/contracts';

import {
  IDEMPOTENCY_KEY_HEADER,
  KEY_ID_HEADER,
  SIGNATURE_HEADER,
  TENANT_ID_HEADER,
  TIMESTAMP_HEADER,
} from '../signing/signature-headers';
import { TenantSecrets } from '../signing/tenant-secrets';
import { verifyRequest } from '../signing/verify-request';
import { PUBLIC_ROUTE } from './public-route.decorator';
import { SIGNATURE_GUARD_OPTIONS, type SignatureGuardOptions } from './signature-guard.options';
import { type SignedHttpRequest } from './signed-http-request';

/**
 * Verifies the request signature over the raw body and sets `request.tenantId`, or throws `PitbossError`.
 * A guard rather than a middleware: it sees the route's `@PublicRoute()` metadata, and it runs before
 * interceptors and pipes, so an unsigned request never reaches idempotency records or validation.
 * Needs the app created with `NestFactory.create(module, { rawBody: true })`.
 */
@Injectable()
export class SignatureGuard implements CanActivate {
  // Explicit tokens: DI then does not depend on decorator metadata surviving the type-only import rules.
  constructor(
    @Inject(TenantSecrets) private readonly tenants: TenantSecrets,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(SIGNATURE_GUARD_OPTIONS) private readonly options: SignatureGuardOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.isPublic(context)) return true;
    // Fail closed: a gRPC handler's message is already deserialized here, so its signature cannot be checked;
    // the gRPC server verifies the received bytes with `verifyGrpcRequest` instead.
    if (context.getType() !== 'http') {
      throw new Error(`SignatureGuard verifies HTTP requests only, not ${context.getType()} calls`);
    }
    const request = context.switchToHttp().getRequest<SignedHttpRequest>();
    request.tenantId = verifyRequest({
      tenants: this.tenants,
      tenantId: singleHeader(request, TENANT_ID_HEADER),
      timestamp: singleHeader(request, TIMESTAMP_HEADER),
      signature: singleHeader(request, SIGNATURE_HEADER),
      keyId: singleHeader(request, KEY_ID_HEADER),
      method: request.method,
      path: request.originalUrl ?? request.url,
      // The header the idempotency records are keyed by, so a captured request cannot be replayed under a new key.
      idempotencyKey: singleHeader(request, IDEMPOTENCY_KEY_HEADER),
      body: rawBodyOf(request),
      now: this.options.now(),
      maxSkewMs: this.options.maxSkewMs,
    });
    return true;
  }

  private isPublic(context: ExecutionContext): boolean {
    const controller = context.getClass();
    return (
      this.options.publicControllers.includes(controller) ||
      this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, [
        context.getHandler(),
        controller,
      ]) === true
    );
  }
}

function singleHeader(request: SignedHttpRequest, name: string): string | undefined {
  // eslint-disable-next-line security/detect-object-injection -- name is one of the signature header names, constants
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function rawBodyOf(request: SignedHttpRequest): Buffer {
  if (Buffer.isBuffer(request.rawBody)) return request.rawBody;
  if (!hasBody(request)) return Buffer.alloc(0);
  // A body was parsed but not kept: the app was not created with `rawBody: true`. A server fault, hence a 500.
  if (request.body !== undefined) {
    throw new Error(
      'SignatureGuard needs the raw body: create the app with NestFactory.create(…, { rawBody: true })',
    );
  }
  // No parser read it (a content type the gateway does not take), so there are no bytes to verify.
  throw new PitbossError('INVALID_REQUEST', 'Unsupported request body: send Content-Type: application/json', {
    fields: ['content-type'],
  });
}

function hasBody(request: SignedHttpRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
