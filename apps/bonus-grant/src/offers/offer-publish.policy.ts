import { type ChangePolicy } from '@pitboss/governance-domain';

export const OFFER_PUBLISH_KIND = 'offer_publish';

/** Publishing an offer version: proposed with promo:admin, approved by another principal with promo:approve. */
export const OFFER_PUBLISH_POLICY: ChangePolicy = {
  kind: OFFER_PUBLISH_KIND,
  proposeScope: 'promo:admin',
  approveScope: 'promo:approve',
  rule: { type: 'always' },
};
