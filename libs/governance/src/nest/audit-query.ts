import { z } from 'zod';

import { PitbossError } from '@pitboss/contracts';

import { type AuditQuery } from '../audit-journal';

/** How many entries one page of `GET /v1/audit` holds unless `limit` says otherwise, and at most. */
export const DEFAULT_AUDIT_PAGE = 100;
export const MAX_AUDIT_PAGE = 500;

// The same alphabet as tenant and client ids, plus what subjects use (`game_config:tenant-a:starburst:eu`).
const TEXT_FILTER = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
const INSTANT = z
  .string()
  .datetime({ offset: true, message: 'an RFC 3339 date-time, e.g. 2026-01-01T00:00:00Z' });

/** The query string of `GET /v1/audit`, as documented in the OpenAPI document (one value per parameter). */
export const auditQuerySchema = z
  .object({
    subject: TEXT_FILTER.optional(),
    actor: TEXT_FILTER.optional(),
    action: TEXT_FILTER.optional(),
    from: INSTANT.optional(),
    to: INSTANT.optional(),
    limit: z
      .string()
      .regex(/^\d{1,3}$/, `an integer from 1 to ${MAX_AUDIT_PAGE}`)
      .transform(Number)
      .refine((value) => value >= 1 && value <= MAX_AUDIT_PAGE, `an integer from 1 to ${MAX_AUDIT_PAGE}`)
      .optional(),
    cursor: z
      .string()
      .regex(/^[1-9]\d{0,15}$/, 'the next_cursor of the previous page')
      .optional(),
  })
  .strict()
  .refine(
    (query) =>
      query.from === undefined || query.to === undefined || Date.parse(query.from) < Date.parse(query.to),
    {
      message: '`from` must be before `to`',
      path: ['to'],
    },
  );

/** The filter of a `GET /v1/audit` query string, or INVALID_REQUEST naming every offending parameter. */
export function parseAuditQuery(query: unknown): AuditQuery {
  const result = auditQuerySchema.safeParse(query ?? {});
  if (!result.success) {
    const fields = result.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ path: key, problem: 'unknown query parameter' }))
        : [{ path: issue.path.join('.') || '(query)', problem: issue.message }],
    );
    throw new PitbossError(
      'INVALID_REQUEST',
      `invalid audit query: ${fields.map((field) => `${field.path}: ${field.problem}`).join('; ')}`,
      { fields },
    );
  }
  const { subject, actor, action, from, to, limit, cursor } = result.data;
  return {
    ...(subject === undefined ? {} : { subject }),
    ...(actor === undefined ? {} : { actor }),
    ...(action === undefined ? {} : { action }),
    ...(from === undefined ? {} : { from: new Date(from) }),
    ...(to === undefined ? {} : { to: new Date(to) }),
    ...(cursor === undefined ? {} : { beforeSequence: Number(cursor) }),
    limit: limit ?? DEFAULT_AUDIT_PAGE,
  };
}
