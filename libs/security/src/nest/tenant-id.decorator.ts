import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

import { type SignedHttpRequest } from './signed-http-request';

/** The tenant whose signature `SignatureGuard` verified for this request. */
export const TenantId = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const { tenantId } = context.switchToHttp().getRequest<SignedHttpRequest>();
  // A public route has no verified tenant; reading one there is a wiring mistake, not a client error.
  if (tenantId === undefined) throw new Error('@TenantId() used on a route whose signature was not verified');
  return tenantId;
});
