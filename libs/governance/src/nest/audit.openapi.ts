import { z } from 'zod';

import { type ErrorCode } from '@pitboss/contracts';
import { errorResponsesOf, jsonResponse, type RouteConfig } from '@pitboss/openapi';

import { DEFAULT_AUDIT_PAGE, MAX_AUDIT_PAGE } from './audit-query';

const HASH = z.string().regex(/^[0-9a-f]{64}$/);

export const auditEntrySchema = z
  .object({
    sequence: z
      .number()
      .int()
      .min(1)
      .openapi({ description: 'Position in the chain, from 1, without gaps.' }),
    occurred_at: z.string().datetime().openapi({ description: 'When the change was made (RFC 3339 UTC).' }),
    actor: z
      .object({ subject: z.string(), client_id: z.string(), tenant_id: z.string() })
      .openapi({ description: 'Who made it, from the verified bearer token: `sub`, `azp` and `tenant_id`.' }),
    action: z.string().openapi({ description: 'What was done, e.g. `change_request.approved`.' }),
    subject: z.string().openapi({ description: 'What it was done to, e.g. `change_request:<id>`.' }),
    before: z.unknown().openapi({ description: 'The state before the change (JSON), or null.' }),
    after: z.unknown().openapi({ description: 'The state after the change (JSON), or null.' }),
    reason: z.string().nullable(),
    trace_id: z
      .string()
      .nullable()
      .openapi({ description: 'W3C trace id of the request that made the change.' }),
    prev_hash: HASH.openapi({ description: "The previous entry's hash (64 zeros for the first entry)." }),
    hash: HASH.openapi({
      description:
        'SHA-256 (hex) of `prev_hash` followed by the RFC 8785 canonical JSON of every other field.',
    }),
  })
  .openapi('AuditEntry');

export const auditPageSchema = z
  .object({
    entries: z.array(auditEntrySchema),
    next_cursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as `cursor` for the next (older) page; null on the last page.' }),
  })
  .openapi('AuditPage');

const FILTER = (description: string) => z.string().min(1).max(256).optional().openapi({ description });

/** The `GET /v1/audit` operation for a service's OpenAPI document, with the codes it can answer. */
export function auditRouteDoc(errors: readonly ErrorCode[], security: RouteConfig['security']): RouteConfig {
  return {
    method: 'get',
    path: '/v1/audit',
    operationId: 'listAudit',
    tags: ['admin'],
    summary: "Read the caller's tenant's audit journal",
    description:
      'The hash-chained journal of admin changes, newest first, of the tenant of the bearer token (the ' +
      "platform's operators read the platform's entries). Scope `audit:read`. Any unknown or repeated " +
      'parameter, a malformed date, `from` not before `to`, or a bad `limit` or `cursor` is 400 ' +
      '`INVALID_REQUEST` naming the parameters in `error.fields`.',
    security,
    request: {
      query: z.object({
        subject: FILTER('Only entries about this subject (exact match).'),
        actor: FILTER("Only entries by this actor (the token's `sub`, exact match)."),
        action: FILTER('Only entries of this action (exact match).'),
        from: z
          .string()
          .datetime({ offset: true })
          .optional()
          .openapi({ description: 'Inclusive (RFC 3339).' }),
        to: z
          .string()
          .datetime({ offset: true })
          .optional()
          .openapi({ description: 'Exclusive (RFC 3339).' }),
        limit: z
          .string()
          .regex(/^\d{1,3}$/)
          .optional()
          .openapi({
            description: `1 to ${MAX_AUDIT_PAGE} entries per page; ${DEFAULT_AUDIT_PAGE} by default.`,
          }),
        cursor: z
          .string()
          .regex(/^[1-9]\d{0,15}$/)
          .optional()
          .openapi({ description: '`next_cursor` of the previous page.' }),
      }),
    },
    responses: {
      '200': jsonResponse('One page of entries.', auditPageSchema, {
        entries: [
          {
            sequence: 2,
            occurred_at: '2026-01-01T10:00:00.000Z',
            actor: { subject: '3f2b…', client_id: 'brand-a-ops-2', tenant_id: 'brand-a' },
            action: 'change_request.approved',
            subject: 'change_request:6a1f0c7e-3c0e-4d7a-9d7e-0d5c1f2e9b10',
            before: { status: 'pending' },
            after: { status: 'applied' },
            reason: 'checked against the certificate',
            trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
            prev_hash: 'a'.repeat(64),
            hash: 'b'.repeat(64),
          },
        ],
        next_cursor: '2',
      }),
      ...errorResponsesOf(errors),
    },
  };
}
