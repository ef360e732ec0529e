import { z } from 'zod';

import { PitbossError } from '@pitboss/contracts';

const reason = z.string().trim().min(1, 'say why').max(1_000);

/** `POST /v1/change-requests`: the kind names the change, the payload is checked by the kind itself. */
export const submitChangeRequestSchema = z
  .object({
    kind: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a change kind, e.g. game_config'),
    payload: z.unknown().refine((value) => value !== undefined, 'required'),
    reason,
  })
  .strict();

/** `POST /v1/change-requests/{id}/reject`. */
export const rejectChangeRequestSchema = z.object({ reason }).strict();

export const CHANGE_REQUEST_STATUSES = ['pending', 'applied', 'rejected', 'expired'] as const;

/** `GET /v1/change-requests?status=&kind=`. */
export const listChangeRequestsQuerySchema = z
  .object({
    status: z.enum(CHANGE_REQUEST_STATUSES).optional(),
    kind: submitChangeRequestSchema.shape.kind.optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();

/**
 * A JSON request body, whether the app's body parser left the bytes (bet-gateway keeps them raw for its
 * signatures) or parsed them already. Every unreadable body is 400 INVALID_REQUEST, never a 500.
 */
export function jsonObjectOf(contentType: string | undefined, body: unknown): Record<string, unknown> {
  let value = body;
  if (Buffer.isBuffer(body)) {
    if (body.length === 0) throw invalid('the body is empty; send a JSON object');
    if (!(contentType ?? '').toLowerCase().startsWith('application/json')) {
      throw new PitbossError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
    }
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw invalid(`the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('the body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** The parsed value, or 400 INVALID_REQUEST listing every offending field path. */
export function parseOrInvalid<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: [...issue.path, key].join('.'), problem: 'unknown field' }))
      : [{ path: issue.path.length === 0 ? '(body)' : issue.path.join('.'), problem: issue.message }],
  );
  throw new PitbossError(
    'INVALID_REQUEST',
    `invalid request: ${fields.map((field) => `${field.path}: ${field.problem}`).join('; ')}`,
    { fields },
  );
}

function invalid(message: string): PitbossError {
  return new PitbossError('INVALID_REQUEST', message, { fields: [{ path: '(body)', problem: message }] });
}
