import { PitbossError } from '@pitboss/contracts';

import { type PublishedOfferStatus } from './published-offer';

/** An offer's status: `draft` until its first version is published, then the published offer's. */
export type OfferStatus = 'draft' | PublishedOfferStatus;

export const OFFER_STATUS_ACTIONS = ['pause', 'resume', 'retire'] as const;
export type OfferStatusAction = (typeof OFFER_STATUS_ACTIONS)[number];

/** What an edit or a submit needs to know of the offer. */
export interface OfferEditState {
  readonly offerId: string;
  readonly status: OfferStatus;
  /** A publish request of the offer is waiting for its second person (pending, not expired). */
  readonly pendingChangeRequestId: string | null;
}

/**
 * The draft may be edited (and submitted) unless the offer is retired, or a submitted version awaits approval:
 * what the approver sees must be what gets published.
 */
export function assertDraftEditable(state: OfferEditState): void {
  if (state.status === 'retired') {
    throw new PitbossError('OFFER_STATUS_CONFLICT', `offer ${state.offerId} is retired; create a new offer`, {
      status: state.status,
    });
  }
  if (state.pendingChangeRequestId !== null) {
    throw new PitbossError(
      'OFFER_PENDING_APPROVAL',
      `offer ${state.offerId} has a publish request awaiting approval (${state.pendingChangeRequestId}); ` +
        'approve or reject it first',
      { change_request_id: state.pendingChangeRequestId },
    );
  }
}

/** The status after pause, resume or retire; OFFER_STATUS_CONFLICT when the action does not apply to it. */
export function decideStatusChange(
  offerId: string,
  status: OfferStatus,
  action: OfferStatusAction,
): PublishedOfferStatus {
  const allowed: Record<OfferStatusAction, readonly OfferStatus[]> = {
    pause: ['active'],
    resume: ['paused'],
    retire: ['active', 'paused'],
  };
  // eslint-disable-next-line security/detect-object-injection -- action is an OfferStatusAction by type
  if (!allowed[action].includes(status)) {
    throw new PitbossError(
      'OFFER_STATUS_CONFLICT',
      `offer ${offerId} is ${status}: ${action} applies only to ${allowed[action].join(' or ')} offers`, // eslint-disable-line security/detect-object-injection -- as above
      { status },
    );
  }
  return action === 'pause' ? 'paused' : action === 'resume' ? 'active' : 'retired';
}

/** The status a publish leaves: a draft becomes active; a paused offer stays paused (resume is explicit). */
export function statusAfterPublish(status: OfferStatus): PublishedOfferStatus {
  if (status === 'retired') throw new Error('a retired offer is never published');
  return status === 'draft' ? 'active' : status;
}
