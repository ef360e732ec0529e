import { type Request, type Response } from 'express';

import { type Principal } from '@pitboss/auth';
import { PitbossError } from '@pitboss/contracts';
import { type Transaction } from '@pitboss/event-store';
import {
  IdempotencyError,
  type PostgresIdempotencyStore,
  requestFingerprint,
  validateIdempotencyKey,
} from '@pitboss/idempotency';

export type IdempotentWork = (tx: Transaction) => Promise<{ status: number; body: unknown }>;

/**
 * Runs `work` once per `X-Idempotency-Key` in one transaction with its stored answer (libs/idempotency): the same
 * key and body replay the first answer, refusals included; another body is 422 IDEMPOTENCY_MISMATCH. The grants'
 * and the entitlements' writes. `onKeyRefused`: told the code of a refusal of the key itself (missing, invalid,
 * IDEMPOTENCY_MISMATCH, IDEMPOTENCY_IN_PROGRESS), e.g. to count it.
 */
export async function idempotentWrite(
  store: PostgresIdempotencyStore,
  scope: string,
  request: Request,
  response: Response,
  principal: Principal,
  work: IdempotentWork,
  onKeyRefused: (code: string) => void = () => undefined,
): Promise<unknown> {
  try {
    const key = validateIdempotencyKey(request.header('x-idempotency-key'));
    const { response: stored, replayed } = await store.executeInTransaction(
      {
        tenantId: principal.tenantId,
        scope,
        key,
        requestHash: requestFingerprint({
          method: request.method,
          path: request.path,
          body: request.body ?? null,
        }),
      },
      async (tx) => {
        try {
          return await work(tx);
        } catch (error) {
          // A refusal is an answer: stored under the key like a success (a retry gets the same refusal).
          if (error instanceof PitbossError)
            return {
              status: error.definition.httpStatus,
              body: { __error: error.code, message: error.message, details: error.details },
            };
          throw error;
        }
      },
    );
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    const body = stored.body as { __error?: string; message?: string; details?: Record<string, unknown> };
    if (body?.__error !== undefined)
      throw new PitbossError(body.__error as PitbossError['code'], body.message ?? '', body.details ?? {});
    response.status(stored.status);
    return stored.body;
  } catch (error) {
    if (error instanceof IdempotencyError) {
      const code = error.code === 'IDEMPOTENCY_TENANT_MISSING' ? 'INVALID_REQUEST' : error.code;
      onKeyRefused(code);
      throw new PitbossError(code, error.message, {}, error.retryable ? 1 : undefined);
    }
    throw error;
  }
}

/** `X-Trace-Id`, required on every write (the events' causation id and the audit entry's trace id). */
export function requiredTraceId(request: Request): string {
  const traceId = request.header('x-trace-id');
  if (traceId === undefined || traceId === '' || traceId.length > 128)
    throw new PitbossError('INVALID_REQUEST', 'the X-Trace-Id header is required (1..128 characters)', {
      fields: ['x-trace-id'],
    });
  return traceId;
}
