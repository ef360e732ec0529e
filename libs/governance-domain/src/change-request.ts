import { type Actor } from './actor';

/**
 * `pending` until a second person approves (`applied`) or rejects it (`rejected`), or until it expires
 * (`expired`). A change that needs no second person is `applied` as it is submitted.
 */
export type ChangeRequestStatus = 'pending' | 'applied' | 'rejected' | 'expired';

export interface ChangeRequest {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: string;
  readonly payload: unknown;
  readonly author: Actor;
  readonly reason: string;
  readonly status: ChangeRequestStatus;
  /** True when the kind's rule asked for a second person (false for a kill switch applied by one). */
  readonly fourEyes: boolean;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  /** Who approved, rejected or (single-person change) applied it. */
  readonly decidedBy: Actor | null;
  readonly decisionReason: string | null;
  readonly decidedAt: Date | null;
}

/** A pending request past its expiry is expired, whether or not anything has recorded that yet. */
export function statusAt(request: ChangeRequest, now: Date): ChangeRequestStatus {
  if (request.status === 'pending' && now.getTime() >= request.expiresAt.getTime()) return 'expired';
  return request.status;
}
