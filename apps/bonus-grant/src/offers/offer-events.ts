import canonicalize from 'canonicalize';

import { type OfferTerms, type PublishedOfferStatus } from '@pitboss/bonus-domain';
import { type OfferPublished, type OfferStatusChanged } from '@pitboss/contracts';
import { type ExpectedVersion, type NewEvent } from '@pitboss/event-store';

/** The event stream of one offer: its published versions and status changes, in order. */
export function offerStreamId(tenantId: string, offerId: string): string {
  return `offer:${tenantId}:${offerId}`;
}

export function expectedStreamVersion(streamVersion: number): ExpectedVersion {
  return streamVersion === 0 ? 'no_stream' : streamVersion;
}

/** offer.published on promo.offers.v1: the version's full terms as canonical JSON (RFC 8785). */
export function offerPublishedEvent(published: {
  offerId: string;
  version: number;
  terms: OfferTerms;
  changeRequestId: string;
}): NewEvent<'offer.published', OfferPublished> {
  const { terms } = published;
  return {
    type: 'offer.published',
    data: {
      offer_id: published.offerId,
      version: published.version,
      name: terms.name,
      offer_type: terms.type,
      currency: terms.currency,
      terms_json: canonicalize(terms) ?? '{}',
      contribution_schema_id: terms.params.contribution_schema?.id ?? null,
      contribution_schema_version: terms.params.contribution_schema?.version ?? null,
      change_request_id: published.changeRequestId,
    },
  };
}

export function offerStatusChangedEvent(
  offerId: string,
  status: PublishedOfferStatus,
  reason: string,
): NewEvent<'offer.status_changed', OfferStatusChanged> {
  return { type: 'offer.status_changed', data: { offer_id: offerId, status, reason } };
}
