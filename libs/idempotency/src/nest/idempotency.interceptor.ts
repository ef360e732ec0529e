import {
  type CallHandler,
  type ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, lastValueFrom, type Observable } from 'rxjs';

import { IdempotencyError, IdempotencyErrorCode } from '../core/idempotency.error';
import { validateIdempotencyKey } from '../core/idempotency-key';
import { type IdempotentRequest } from '../core/idempotent-request';
import { requestFingerprint } from '../core/request-fingerprint';
import { isStorableStatus, type StoredResponse } from '../core/stored-response';
import { PostgresIdempotencyStore } from '../store/postgres-idempotency.store';
import { type IdempotentHttpRequest, type IdempotentHttpResponse } from './http-exchange.types';
import { idempotencyHttpException } from './idempotency-http.exception';
import { IDEMPOTENCY_SCOPE } from './idempotency-scope.metadata';

export const TENANT_HEADER = 'x-tenant-id';
export const IDEMPOTENCY_KEY_HEADER = 'x-idempotency-key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';
/** Response headers that belong to the answer (a created resource's address) and so are stored with it. */
const STORED_HEADERS = ['location'] as const;

/** Adapts `PostgresIdempotencyStore.execute` to routes marked `@Idempotent(scope)`. */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  // Explicit tokens: DI then does not depend on decorator metadata surviving the type-only import rules.
  constructor(
    @Inject(PostgresIdempotencyStore) private readonly store: PostgresIdempotencyStore,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const scope = this.reflector.get<string | undefined>(IDEMPOTENCY_SCOPE, context.getHandler());
    if (scope === undefined || context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    // A promise, not the handler's observable: a client that disconnects must not cancel the execution, whose
    // result its retry will replay.
    return from(
      this.respond(
        scope,
        http.getRequest<IdempotentHttpRequest>(),
        http.getResponse<IdempotentHttpResponse>(),
        next,
      ),
    );
  }

  private async respond(
    scope: string,
    req: IdempotentHttpRequest,
    res: IdempotentHttpResponse,
    next: CallHandler,
  ): Promise<unknown> {
    let result;
    try {
      result = await this.store.execute(idempotentRequest(scope, req), () => runHandler(res, next));
    } catch (error) {
      if (!(error instanceof IdempotencyError)) throw error;
      if (error.retryable) res.setHeader('Retry-After', '1');
      throw idempotencyHttpException(error);
    }
    const { response, replayed } = result;
    if (replayed) res.setHeader(REPLAYED_HEADER, 'true');
    for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
    // Error answers go back through the exception filters on the first response and on replays alike, so both
    // look the same whatever filters the application has.
    if (response.status >= 400) throw new HttpException(exceptionBody(response), response.status);
    res.status(response.status);
    return response.body;
  }
}

function idempotentRequest(scope: string, req: IdempotentHttpRequest): IdempotentRequest {
  // eslint-disable-next-line security/detect-object-injection -- a constant header name
  const tenantId = req.headers[TENANT_HEADER];
  if (typeof tenantId !== 'string' || tenantId === '') {
    throw new IdempotencyError(IdempotencyErrorCode.TenantMissing, 'the X-Tenant-Id header is required');
  }
  return {
    tenantId,
    scope,
    // eslint-disable-next-line security/detect-object-injection -- a constant header name
    key: validateIdempotencyKey(req.headers[IDEMPOTENCY_KEY_HEADER]),
    requestHash: requestFingerprint({ method: req.method, path: req.path, body: req.body ?? null }),
  };
}

async function runHandler(res: IdempotentHttpResponse, next: CallHandler): Promise<StoredResponse> {
  try {
    const body = toJson(await lastValueFrom(next.handle(), { defaultValue: null }));
    return { status: res.statusCode, body, headers: storedHeaders(res) };
  } catch (error) {
    // A final refusal (a 4xx HttpException) is an answer like any other; anything else releases the key.
    if (error instanceof HttpException && isStorableStatus(error.getStatus())) {
      return { status: error.getStatus(), body: toJson(error.getResponse()) };
    }
    throw error;
  }
}

function storedHeaders(res: IdempotentHttpResponse): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = res.getHeader(name);
    // eslint-disable-next-line security/detect-object-injection -- names are the stored answer headers we chose to replay
    if (value !== undefined) headers[name] = String(value);
  }
  return headers;
}

function toJson(value: unknown): unknown {
  const json = JSON.stringify(value);
  return json === undefined ? null : (JSON.parse(json) as unknown);
}

function exceptionBody({ status, body }: StoredResponse): string | Record<string, unknown> {
  if (typeof body === 'string') return body;
  if (typeof body === 'object' && body !== null) return body as Record<string, unknown>;
  return { statusCode: status, message: body };
}
