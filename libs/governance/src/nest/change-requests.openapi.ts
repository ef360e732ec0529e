import { z } from 'zod';

import { type ErrorCode } from '@pitboss/contracts';
import { errorResponsesOf, jsonResponse, type RouteConfig } from '@pitboss/openapi';

import { CHANGE_REQUEST_STATUSES } from './change-request-bodies';

/** One kind a service registers, as its document shows it. */
export interface DocumentedChangeKind {
  readonly kind: string;
  readonly proposeScope: string;
  readonly approveScope: string;
  /** When the kind needs a second person, in words (e.g. "unless the change only turns features off"). */
  readonly rule: string;
  readonly payload: z.ZodTypeAny;
  readonly example: unknown;
}

export type ChangeRequestOperation =
  | 'submitChangeRequest'
  | 'listChangeRequests'
  | 'getChangeRequest'
  | 'approveChangeRequest'
  | 'rejectChangeRequest';

export interface ChangeRequestDocs {
  readonly kinds: readonly DocumentedChangeKind[];
  readonly errors: Readonly<Record<ChangeRequestOperation, readonly ErrorCode[]>>;
  /** The OAuth2 security scheme's name in the service's document (e.g. `operatorToken`). */
  readonly scheme: string;
}

const actorSchema = z
  .object({ subject: z.string(), client_id: z.string(), tenant_id: z.string() })
  .openapi({ description: 'From the verified bearer token: `sub`, `azp` and `tenant_id`.' });

export const changeRequestSchema = z
  .object({
    id: z.string().uuid(),
    kind: z.string(),
    payload: z
      .unknown()
      .openapi({ description: "The proposed change, as the kind's payload schema reads it." }),
    author: actorSchema,
    reason: z.string(),
    status: z.enum(CHANGE_REQUEST_STATUSES).openapi({
      description:
        '`pending` until a second person approves (`applied`) or rejects it, or until it expires (`expired`). ' +
        'A change that needs no second person is `applied` as it is submitted.',
    }),
    four_eyes: z.boolean().openapi({ description: "Whether the kind's rule asked for a second person." }),
    created_at: z.string().datetime(),
    expires_at: z.string().datetime(),
    decided_by: actorSchema.nullable(),
    decision_reason: z.string().nullable(),
    decided_at: z.string().datetime().nullable(),
  })
  .openapi('ChangeRequest');

const EXAMPLE_ID = '6a1f0c7e-3c0e-4d7a-9d7e-0d5c1f2e9b10';
const idParams = z.object({ id: z.string().uuid().openapi({ example: EXAMPLE_ID }) });
const reason = z.string().min(1).max(1_000);

function example(kind: DocumentedChangeKind, status: string, decided: boolean) {
  return {
    id: EXAMPLE_ID,
    kind: kind.kind,
    payload: kind.example,
    author: { subject: '3f2b9c1e-…', client_id: 'brand-a-ops-1', tenant_id: 'brand-a' },
    reason: 'new stake limits for the winter promotion',
    status,
    four_eyes: true,
    created_at: '2026-01-01T10:00:00.000Z',
    expires_at: '2026-01-04T10:00:00.000Z',
    decided_by: decided ? { subject: '9d1c…', client_id: 'brand-a-ops-2', tenant_id: 'brand-a' } : null,
    decision_reason: status === 'rejected' ? 'limits not signed off' : null,
    decided_at: decided ? '2026-01-01T11:00:00.000Z' : null,
  };
}

/**
 * The five four-eyes operations of `ChangeRequestsController` for a service's OpenAPI document, with its kinds
 * (payload schemas, scopes and rules) and the codes each operation can answer in that service.
 */
export function changeRequestRouteDocs({ kinds, errors, scheme }: ChangeRequestDocs): RouteConfig[] {
  const first = kinds[0];
  if (first === undefined) throw new Error('a service documents at least one change kind');
  const scopes = [...new Set(kinds.flatMap((kind) => [kind.proposeScope, kind.approveScope]))];
  const kindList = kinds
    .map(
      (kind) =>
        `\`${kind.kind}\` (propose: \`${kind.proposeScope}\`, approve: \`${kind.approveScope}\`; a second person ` +
        `${kind.rule})`,
    )
    .join('; ');
  const payloads = kinds.map((kind) => kind.payload);
  const payload =
    payloads.length === 1
      ? payloads[0]!
      : z.union(payloads as [z.ZodTypeAny, z.ZodTypeAny, ...z.ZodTypeAny[]]);
  const tags = ['change requests'];
  const security = (names: readonly string[]) => names.map((name) => ({ [scheme]: [name] }));
  const response = (description: string, status: string, decided: boolean) =>
    jsonResponse(description, changeRequestSchema, example(first, status, decided));
  return [
    {
      method: 'post',
      path: '/v1/change-requests',
      operationId: 'submitChangeRequest',
      tags,
      summary: 'Propose a change (four-eyes)',
      description:
        `Kinds: ${kindList}. The tenant is the bearer token's. Needs the kind's propose scope. The answer is ` +
        '`pending` (waits for another person holding the approve scope, until `expires_at`) or `applied` at ' +
        "once when the kind's rule needs no second person. A malformed body is 400 INVALID_REQUEST; an unknown " +
        'kind or a payload the kind refuses is 422 CHANGE_REQUEST_INVALID (`error.fields` under `payload.`).',
      security: security(kinds.map((kind) => kind.proposeScope)),
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z
                .object({
                  kind: z.enum(kinds.map((kind) => kind.kind) as [string, ...string[]]),
                  payload,
                  reason,
                })
                .strict(),
              example: { kind: first.kind, payload: first.example, reason: 'new stake limits' },
            },
          },
        },
      },
      responses: {
        '201': response('Recorded: pending, or applied at once.', 'pending', false),
        ...errorResponsesOf(errors.submitChangeRequest),
      },
    },
    {
      method: 'get',
      path: '/v1/change-requests',
      operationId: 'listChangeRequests',
      tags,
      summary: "List the tenant's change requests",
      description:
        'Newest first, of the kinds whose propose or approve scope the token holds. `expired` lists pending ' +
        'requests past their expiry.',
      security: security(scopes),
      request: {
        query: z.object({
          status: z.enum(CHANGE_REQUEST_STATUSES).optional(),
          kind: z.enum(kinds.map((kind) => kind.kind) as [string, ...string[]]).optional(),
          limit: z
            .string()
            .regex(/^\d{1,3}$/)
            .optional()
            .openapi({ description: '1 to 500; 100 by default.' }),
        }),
      },
      responses: {
        '200': jsonResponse('The requests.', z.object({ change_requests: z.array(changeRequestSchema) }), {
          change_requests: [example(first, 'pending', false)],
        }),
        ...errorResponsesOf(errors.listChangeRequests),
      },
    },
    {
      method: 'get',
      path: '/v1/change-requests/{id}',
      operationId: 'getChangeRequest',
      tags,
      summary: 'Read a change request',
      description: "Needs the kind's propose or approve scope.",
      security: security(scopes),
      request: { params: idParams },
      responses: {
        '200': response('The request, its status as of now.', 'applied', true),
        ...errorResponsesOf(errors.getChangeRequest),
      },
    },
    {
      method: 'post',
      path: '/v1/change-requests/{id}/approve',
      operationId: 'approveChangeRequest',
      tags,
      summary: 'Approve (the second person)',
      description:
        "Needs the kind's approve scope and another principal than the author (403 FOUR_EYES_SELF_APPROVAL). " +
        "The change is applied in the same transaction, holding the request's row lock: of concurrent " +
        'approvals one applies it and the others get 409 CHANGE_REQUEST_NOT_PENDING. Past its expiry: 410 ' +
        'CHANGE_REQUEST_EXPIRED. The body is ignored.',
      security: security(kinds.map((kind) => kind.approveScope)),
      request: { params: idParams },
      responses: {
        '200': response('Approved and applied.', 'applied', true),
        ...errorResponsesOf(errors.approveChangeRequest),
      },
    },
    {
      method: 'post',
      path: '/v1/change-requests/{id}/reject',
      operationId: 'rejectChangeRequest',
      tags,
      summary: 'Reject, with a reason',
      description: "Needs the kind's approve scope (the author may withdraw their own request this way).",
      security: security(kinds.map((kind) => kind.approveScope)),
      request: {
        params: idParams,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({ reason }).strict(),
              example: { reason: 'limits not signed off' },
            },
          },
        },
      },
      responses: {
        '200': response('Rejected; nothing applied.', 'rejected', true),
        ...errorResponsesOf(errors.rejectChangeRequest),
      },
    },
  ];
}
