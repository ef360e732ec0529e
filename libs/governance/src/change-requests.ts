import { randomUUID } from 'node:crypto';

import { type Pool } from 'pg';

import { PitbossError } from '@pitboss/contracts';
import { type Transaction, withTransaction } from '@pitboss/event-store';
import {
  type Actor,
  type Approver,
  type ChangePolicy,
  type ChangeRequest,
  type ChangeRequestStatus,
  decideApprove,
  decideReject,
  decideSubmit,
  statusAt,
} from '@pitboss/governance-domain';

import { type PostgresAuditJournal } from './audit-journal';
import { type ChangeKind } from './change-kind';
import { readAsTenant } from './tenant-reads';

export interface ChangeRequestsOptions {
  readonly schema: string;
  /** How long a request waits for its second person (`CHANGE_REQUEST_TTL_MS`, default 72 h). */
  readonly ttlMs: number;
  readonly kinds: readonly ChangeKind[];
}

export interface SubmitChangeRequest {
  readonly kind: string;
  readonly payload: unknown;
  readonly reason: string;
}

/**
 * Four-eyes change requests. Every step is one transaction that also appends its audit entry; an approval
 * locks the request's row (`FOR UPDATE`) before deciding, so of two concurrent approvals one applies the change
 * and the other finds it applied (CHANGE_REQUEST_NOT_PENDING): a change is applied exactly once.
 */
export class ChangeRequests {
  private readonly kinds: ReadonlyMap<string, ChangeKind>;

  constructor(
    private readonly pool: Pool,
    private readonly audit: PostgresAuditJournal,
    private readonly options: ChangeRequestsOptions,
  ) {
    this.kinds = new Map(options.kinds.map((kind) => [kind.policy.kind, kind]));
  }

  /** The kinds this service accepts, by name (what the routes check scopes against). */
  policies(): ChangePolicy[] {
    return [...this.kinds.values()].map((kind) => kind.policy);
  }

  /** The policy of a kind; 422 CHANGE_REQUEST_INVALID naming the known kinds for an unknown one. */
  policyOf(name: string): ChangePolicy {
    return this.kindOf(name).policy;
  }

  submit(author: Approver, command: SubmitChangeRequest, traceId: string | null): Promise<ChangeRequest> {
    return withTransaction(this.pool, (tx) => this.submitIn(tx, author, command, traceId));
  }

  /**
   * As `submit`, in the caller's transaction: a service that turns its own request into a change request (a
   * grant above the four-eyes threshold) commits the request with its idempotency record or inbox row. `id`:
   * the request's id when the caller must know it before (it records it elsewhere in the same transaction).
   */
  async submitIn(
    tx: Transaction,
    author: Approver,
    command: SubmitChangeRequest & { readonly id?: string },
    traceId: string | null,
  ): Promise<ChangeRequest> {
    const kind = this.kindOf(command.kind);
    const payload = parsePayload(kind, command.payload);
    const facts = await kind.facts(tx, author.tenantId, payload);
    const request = decideSubmit(
      {
        id: command.id ?? randomUUID(),
        kind: command.kind,
        payload,
        author,
        reason: command.reason,
        now: new Date(),
        ttlMs: this.options.ttlMs,
      },
      kind.policy,
      facts,
    );
    await this.insert(tx, request);
    await this.audit.append(tx, {
      actor: author,
      action: 'change_request.submitted',
      subject: subjectOf(request),
      after: { kind: request.kind, payload: request.payload, four_eyes: request.fourEyes },
      reason: request.reason,
      traceId,
    });
    if (request.status === 'applied') await this.applyAndAudit(tx, kind, request, author, traceId);
    return request;
  }

  approve(approver: Approver, id: string, traceId: string | null): Promise<ChangeRequest> {
    return withTransaction(this.pool, async (tx) => {
      const pending = await this.lock(tx, approver.tenantId, id);
      const kind = this.kindOf(pending.kind);
      const approved = decideApprove(pending, approver, kind.policy, new Date());
      await this.update(tx, approved);
      await this.audit.append(tx, {
        actor: approver,
        action: 'change_request.approved',
        subject: subjectOf(approved),
        before: { status: pending.status },
        after: { status: approved.status },
        reason: approved.reason,
        traceId,
      });
      await this.applyAndAudit(tx, kind, approved, approver, traceId);
      return approved;
    });
  }

  reject(rejecter: Approver, id: string, reason: string, traceId: string | null): Promise<ChangeRequest> {
    return withTransaction(this.pool, async (tx) => {
      const pending = await this.lock(tx, rejecter.tenantId, id);
      const rejected = decideReject(pending, rejecter, this.kindOf(pending.kind).policy, reason, new Date());
      await this.update(tx, rejected);
      await this.audit.append(tx, {
        actor: rejecter,
        action: 'change_request.rejected',
        subject: subjectOf(rejected),
        before: { status: pending.status },
        after: { status: rejected.status },
        reason,
        traceId,
      });
      const kind = this.kindOf(pending.kind);
      const undone = kind.reject ? await kind.reject(tx, rejected, rejected.payload) : null;
      if (undone !== null)
        await this.audit.append(tx, {
          actor: rejecter,
          action: undone.action,
          subject: undone.subject,
          before: undone.before,
          after: undone.after,
          reason: `change request ${rejected.id} rejected: ${reason}`,
          traceId,
        });
      return rejected;
    });
  }

  /**
   * The tenant's requests of `kinds` (row-level security), newest first; `expired` are pending ones past their
   * expiry.
   */
  list(tenantId: string, filter: ChangeRequestFilter): Promise<ChangeRequest[]> {
    return readAsTenant(this.pool, this.options.schema, tenantId, async (tx) => {
      const { rows } = await tx.query(
        `SELECT * FROM change_requests
          WHERE CASE $1::text
                  WHEN 'pending' THEN status = 'pending' AND expires_at > now()
                  WHEN 'expired' THEN status = 'pending' AND expires_at <= now()
                  WHEN '' THEN true
                  ELSE status = $1 END
            AND kind = ANY($2::text[])
          ORDER BY created_at DESC LIMIT $3`,
        [filter.status ?? '', filter.kinds, filter.limit ?? 100],
      );
      const now = new Date();
      return rows.map((row) => {
        const request = requestOf(row);
        return { ...request, status: statusAt(request, now) };
      });
    });
  }

  /** One request of the tenant (row-level security), its status as of now; CHANGE_REQUEST_NOT_FOUND if none. */
  get(tenantId: string, id: string): Promise<ChangeRequest> {
    return readAsTenant(this.pool, this.options.schema, tenantId, async (tx) => {
      const { rows } = UUID.test(id)
        ? await tx.query('SELECT * FROM change_requests WHERE id = $1', [id])
        : { rows: [] };
      if (rows[0] === undefined) throw notFound(id);
      const request = requestOf(rows[0]);
      return { ...request, status: statusAt(request, new Date()) };
    });
  }

  private async applyAndAudit(
    tx: Transaction,
    kind: ChangeKind,
    request: ChangeRequest,
    actor: Actor,
    traceId: string | null,
  ): Promise<void> {
    const applied = await kind.apply(tx, request, request.payload);
    await this.audit.append(tx, {
      actor,
      action: applied.action,
      subject: applied.subject,
      before: applied.before,
      after: applied.after,
      reason: `change request ${request.id}: ${request.reason}`,
      traceId,
    });
  }

  private kindOf(name: string): ChangeKind {
    const kind = this.kinds.get(name);
    if (kind === undefined) {
      throw new PitbossError(
        'CHANGE_REQUEST_INVALID',
        `unknown change kind ${name}; known: ${[...this.kinds.keys()].join(', ')}`,
        { fields: [{ path: 'kind', problem: 'unknown change kind' }] },
      );
    }
    return kind;
  }

  private async lock(tx: Transaction, tenantId: string, id: string): Promise<ChangeRequest> {
    const { rows } = UUID.test(id)
      ? await tx.query('SELECT * FROM change_requests WHERE id = $1 AND tenant_id = $2 FOR UPDATE', [
          id,
          tenantId,
        ])
      : { rows: [] };
    const row = rows[0];
    if (row === undefined) throw notFound(id);
    return requestOf(row);
  }

  private async insert(tx: Transaction, request: ChangeRequest): Promise<void> {
    await tx.query(
      `INSERT INTO change_requests (id, tenant_id, kind, payload, author, reason, status, four_eyes, created_at,
         expires_at, decided_by, decision_reason, decided_at)
       VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, $9, $10, $11::jsonb, $12, $13)`,
      [
        request.id,
        request.tenantId,
        request.kind,
        JSON.stringify(request.payload),
        JSON.stringify(request.author),
        request.reason,
        request.status,
        request.fourEyes,
        request.createdAt,
        request.expiresAt,
        request.decidedBy === null ? null : JSON.stringify(request.decidedBy),
        request.decisionReason,
        request.decidedAt,
      ],
    );
  }

  private async update(tx: Transaction, request: ChangeRequest): Promise<void> {
    await tx.query(
      `UPDATE change_requests SET status = $2, decided_by = $3::jsonb, decision_reason = $4, decided_at = $5
        WHERE id = $1`,
      [
        request.id,
        request.status,
        JSON.stringify(request.decidedBy),
        request.decisionReason,
        request.decidedAt,
      ],
    );
  }
}

export interface ChangeRequestFilter {
  readonly status?: ChangeRequestStatus;
  /** Only requests of these kinds (those the caller may see). */
  readonly kinds: readonly string[];
  readonly limit?: number;
}

/**
 * The kind's payload, or 422 CHANGE_REQUEST_INVALID listing its offending fields under `payload.`: the request
 * itself was well formed (that is a 400), the change it proposes is not one the kind accepts.
 */
function parsePayload(kind: ChangeKind, payload: unknown): unknown {
  try {
    return kind.parse(payload);
  } catch (error) {
    if (!(error instanceof PitbossError) || error.code !== 'INVALID_REQUEST') throw error;
    const fields = (error.details?.['fields'] as { path: string; problem: string }[] | undefined) ?? [];
    const prefixed = fields.map((field) => ({
      path: field.path === '(body)' ? 'payload' : `payload.${field.path}`,
      problem: field.problem,
    }));
    throw new PitbossError(
      'CHANGE_REQUEST_INVALID',
      `invalid ${kind.policy.kind} payload: ${error.message}`,
      {
        fields: prefixed,
      },
    );
  }
}

function notFound(id: string): PitbossError {
  return new PitbossError('CHANGE_REQUEST_NOT_FOUND', `no change request ${id}`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function subjectOf(request: ChangeRequest): string {
  return `change_request:${request.id}`;
}

function requestOf(row: Record<string, unknown>): ChangeRequest {
  return {
    id: row['id'] as string,
    tenantId: row['tenant_id'] as string,
    kind: row['kind'] as string,
    payload: row['payload'],
    author: row['author'] as Actor,
    reason: row['reason'] as string,
    status: row['status'] as ChangeRequestStatus,
    fourEyes: row['four_eyes'] as boolean,
    createdAt: row['created_at'] as Date,
    expiresAt: row['expires_at'] as Date,
    decidedBy: (row['decided_by'] as Actor | null) ?? null,
    decisionReason: (row['decision_reason'] as string | null) ?? null,
    decidedAt: (row['decided_at'] as Date | null) ?? null,
  };
}

/** A change request as the API answers it (snake_case, like the rest of the API). */
export function changeRequestView(request: ChangeRequest): Record<string, unknown> {
  return {
    id: request.id,
    kind: request.kind,
    payload: request.payload,
    author: actorView(request.author),
    reason: request.reason,
    status: request.status,
    four_eyes: request.fourEyes,
    created_at: request.createdAt.toISOString(),
    expires_at: request.expiresAt.toISOString(),
    decided_by: request.decidedBy === null ? null : actorView(request.decidedBy),
    decision_reason: request.decisionReason,
    decided_at: request.decidedAt?.toISOString() ?? null,
  };
}

function actorView(actor: Actor): Record<string, string> {
  return { subject: actor.subject, client_id: actor.clientId, tenant_id: actor.tenantId };
}
