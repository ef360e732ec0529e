import { ERROR_CATALOGUE, type ErrorCode, PitbossError } from '@pitboss/contracts';
import { type StoredResponse } from '@pitboss/idempotency';

import { errorResponseOf } from '../bets/idempotent-commands';

/**
 * Errors as gRPC statuses (the proto's header comment is the contract): the catalogue's status code, the message as
 * status details, and trailing metadata `pitboss-error-code`, `pitboss-retryable`, `retry-after` (when set) and
 * `pitboss-error-details` (the error body without code, message and retryable, as JSON). Thrown errors and stored
 * refusals go through the same function, so a replayed refusal reads exactly like the first one.
 */
export interface GrpcErrorReply {
  readonly code: number;
  readonly details: string;
  readonly trailers: Readonly<Record<string, string>>;
}

export const ERROR_CODE_TRAILER = 'pitboss-error-code';
export const RETRYABLE_TRAILER = 'pitboss-retryable';
export const RETRY_AFTER_TRAILER = 'retry-after';
export const ERROR_DETAILS_TRAILER = 'pitboss-error-details';
export const REPLAYED_METADATA = 'idempotent-replayed';

const INTERNAL_MESSAGE = 'internal error; retry with the same idempotency key';

/** An answer with status >= 400 (body `{error: {code, message, retryable, ...details}}`) as a gRPC error. */
export function grpcErrorOfAnswer(answer: Pick<StoredResponse, 'body' | 'headers'>): GrpcErrorReply {
  const { code: rawCode, message, retryable, ...details } = errorFieldsOf(answer.body);
  const code: ErrorCode = isErrorCode(rawCode) ? rawCode : 'INTERNAL_ERROR';
  const retryAfter = headerOf(answer.headers, RETRY_AFTER_TRAILER);
  return {
    // eslint-disable-next-line security/detect-object-injection -- code is an ErrorCode, a key of the catalogue by type
    code: ERROR_CATALOGUE[code].grpcStatus,
    details: typeof message === 'string' ? message : INTERNAL_MESSAGE,
    trailers: {
      [ERROR_CODE_TRAILER]: code,
      [RETRYABLE_TRAILER]: String(
        // eslint-disable-next-line security/detect-object-injection -- code is an ErrorCode, a key of the catalogue by type
        typeof retryable === 'boolean' ? retryable : ERROR_CATALOGUE[code].retryable,
      ),
      ...(retryAfter === undefined ? {} : { [RETRY_AFTER_TRAILER]: retryAfter }),
      [ERROR_DETAILS_TRAILER]: asciiJson(details),
    },
  };
}

/**
 * Any thrown value as a gRPC error. Anything but a PitbossError is a bug or an outage: it becomes INTERNAL_ERROR
 * without its message (which may hold internals), and `unexpected` tells the caller to log it.
 */
export function grpcErrorOf(error: unknown): {
  readonly reply: GrpcErrorReply;
  readonly unexpected: boolean;
} {
  const known = error instanceof PitbossError;
  const pitbossError = known ? error : new PitbossError('INTERNAL_ERROR', INTERNAL_MESSAGE);
  return { reply: grpcErrorOfAnswer(errorResponseOf(pitbossError)), unexpected: !known };
}

function errorFieldsOf(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null) return {};
  const error = (body as { error?: unknown }).error;
  return typeof error === 'object' && error !== null ? { ...(error as Record<string, unknown>) } : {};
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CATALOGUE, value);
}

function headerOf(headers: StoredResponse['headers'], name: string): string | undefined {
  const entry = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry === undefined ? undefined : String(entry[1]);
}

/** JSON with every non-ASCII character escaped: gRPC text metadata allows printable ASCII only. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
