import { PitbossError } from '@pitboss/contracts';

import { type Actor, type Approver } from './actor';
import { type ChangeRequest, statusAt } from './change-request';
import { type ChangeFacts, type ChangePolicy, needsSecondPerson } from './four-eyes-policy';

export interface SubmitChange {
  readonly id: string;
  readonly kind: string;
  readonly payload: unknown;
  readonly author: Approver;
  readonly reason: string;
  readonly now: Date;
  /** How long the request waits for a second person (default 72 h, `CHANGE_REQUEST_TTL_MS`). */
  readonly ttlMs: number;
}

/**
 * A new change request. It is applied at once (status `applied`, decided by its author) when the kind's rule
 * needs no second person for it, e.g. a change that only turns features off; otherwise it waits, `pending`.
 */
export function decideSubmit(command: SubmitChange, policy: ChangePolicy, facts: ChangeFacts): ChangeRequest {
  assertHolds(command.author, policy.proposeScope);
  const fourEyes = needsSecondPerson(policy.rule, facts);
  const base = {
    id: command.id,
    tenantId: command.author.tenantId,
    kind: command.kind,
    payload: command.payload,
    author: actorOf(command.author),
    reason: command.reason,
    fourEyes,
    createdAt: command.now,
    expiresAt: new Date(command.now.getTime() + command.ttlMs),
  };
  if (fourEyes) return { ...base, status: 'pending', decidedBy: null, decisionReason: null, decidedAt: null };
  return {
    ...base,
    status: 'applied',
    decidedBy: actorOf(command.author),
    decisionReason: 'no second person needed for this change',
    decidedAt: command.now,
  };
}

/**
 * The second person's approval: the request becomes `applied` (the caller applies its payload in the same
 * transaction, holding the request's row lock, so concurrent approvals apply it once).
 */
export function decideApprove(
  request: ChangeRequest,
  approver: Approver,
  policy: ChangePolicy,
  now: Date,
): ChangeRequest {
  assertMayDecide(request, approver, policy, now);
  if (approver.subject === request.author.subject) {
    throw new PitbossError(
      'FOUR_EYES_SELF_APPROVAL',
      `change request ${request.id} was proposed by ${request.author.subject}; another person must approve it`,
    );
  }
  return {
    ...request,
    status: 'applied',
    decidedBy: actorOf(approver),
    decisionReason: null,
    decidedAt: now,
  };
}

/** A rejection, with its reason; the author may withdraw their own request this way. */
export function decideReject(
  request: ChangeRequest,
  rejecter: Approver,
  policy: ChangePolicy,
  reason: string,
  now: Date,
): ChangeRequest {
  assertMayDecide(request, rejecter, policy, now);
  return {
    ...request,
    status: 'rejected',
    decidedBy: actorOf(rejecter),
    decisionReason: reason,
    decidedAt: now,
  };
}

function assertMayDecide(request: ChangeRequest, who: Approver, policy: ChangePolicy, now: Date): void {
  if (who.tenantId !== request.tenantId) {
    throw new PitbossError('TENANT_MISMATCH', `change request ${request.id} belongs to another tenant`);
  }
  assertHolds(who, policy.approveScope);
  const status = statusAt(request, now);
  if (status === 'expired') {
    throw new PitbossError(
      'CHANGE_REQUEST_EXPIRED',
      `change request ${request.id} expired at ${request.expiresAt.toISOString()}; submit it again`,
    );
  }
  if (status !== 'pending') {
    throw new PitbossError(
      'CHANGE_REQUEST_NOT_PENDING',
      `change request ${request.id} is already ${status}`,
      {
        status,
      },
    );
  }
}

function assertHolds(who: Approver, scope: string): void {
  if (!who.scopes.includes(scope)) {
    throw new PitbossError('INSUFFICIENT_SCOPE', `this change needs the scope ${scope}`, { scope });
  }
}

function actorOf({ subject, clientId, tenantId }: Actor): Actor {
  return { subject, clientId, tenantId };
}
