import { type Money, type PublishedOffer } from '@pitboss/bonus-domain';
import { PitbossError } from '@pitboss/contracts';

import { type GrantRequest } from './grant-issuer';

/** The approver approved these terms: a republished offer or another amount since the request is not them. */
export function assertAsApproved(
  approval: NonNullable<GrantRequest['approval']>,
  offer: PublishedOffer,
  amount: Money,
): void {
  if (
    offer.version === approval.offerVersion &&
    amount.minor_units === approval.bonus.minor_units &&
    amount.currency === approval.bonus.currency
  )
    return;
  throw new PitbossError(
    'GRANT_APPROVAL_STALE',
    `change request ${approval.changeRequestId} asked for ${approval.bonus.minor_units} ${approval.bonus.currency} under offer version ${approval.offerVersion}; the offer now gives ${amount.minor_units} ${amount.currency} under version ${offer.version}: reject it and request again`,
    { offer_version: offer.version },
  );
}
