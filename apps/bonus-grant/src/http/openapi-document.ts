import { type OpenAPIObject } from '@nestjs/swagger';

import { auditRouteDoc, changeRequestRouteDocs } from '@pitboss/governance';
import { generateOpenApiDocument, OpenAPIRegistry, type RouteConfig } from '@pitboss/openapi';

import { ENTITLEMENT_ROUTES } from './entitlements.openapi';
import {
  BONUS_CONVERSION_DOC,
  BONUS_GRANT_DOC,
  GRANT_ROUTES,
  withGrantApprovalErrors,
} from './grants.openapi';
import { CHANGE_REQUEST_ERRORS, OFFER_PUBLISH_DOC, OFFER_ROUTES } from './offers.openapi';

/** GET /v1/audit as bonus-grant answers it (the token's own tenant, served in this region). */
const AUDIT_ERRORS = [
  'INVALID_REQUEST',
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'INSUFFICIENT_SCOPE',
  'SERVICE_UNAVAILABLE',
  'TENANT_WRONG_REGION',
  'INTERNAL_ERROR',
] as const;

/** Every documented operation of bonus-grant (each controller's routes live beside it, in its own file). */
export const BONUS_GRANT_ROUTES: RouteConfig[] = [
  ...OFFER_ROUTES,
  ...GRANT_ROUTES,
  ...ENTITLEMENT_ROUTES,
  ...changeRequestRouteDocs({
    kinds: [OFFER_PUBLISH_DOC, BONUS_GRANT_DOC, BONUS_CONVERSION_DOC],
    errors: withGrantApprovalErrors(CHANGE_REQUEST_ERRORS),
    scheme: 'operatorToken',
  }),
  auditRouteDoc(AUDIT_ERRORS, [{ operatorToken: ['audit:read'] }]),
];

/** The OpenAPI 3.0 document of bonus-grant's API, served at /docs/openapi.json. */
export function buildOpenApiDocument(): OpenAPIObject {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'operatorToken', {
    type: 'oauth2',
    description:
      "An access token of the identity provider (AUTH_ISSUER_URL; the token URL is the local stack's Keycloak), " +
      "sent as Authorization: Bearer <token>. The token's tenant is the tenant every route acts on.",
    flows: {
      clientCredentials: {
        tokenUrl: 'http://127.0.0.1:8180/realms/pitboss/protocol/openid-connect/token',
        scopes: {
          'promo:admin': 'Create, edit, submit, pause, resume and retire offers; eligibility dry runs.',
          'promo:approve': 'Approve or reject publish requests (another principal than the author).',
          'audit:read': "Read the tenant's audit journal.",
          'promo:issue': 'Grant offers and entitlements to players; read them.',
          'promo:revoke': 'Revoke grants.',
          'promo:convert':
            'Open bonus_conversion change requests (bonus-grant itself does, for held conversions).',
        },
      },
    },
  });
  for (const route of BONUS_GRANT_ROUTES) registry.registerPath(route);
  return generateOpenApiDocument(registry, {
    title: 'Pitboss bonus-grant API',
    version: '1.0.0',
    description:
      "Promo offers of the caller's tenant: drafts, four-eyes publication, status, eligibility dry runs. Guide: " +
      '`docs/promo.md`. Errors are `{"error": {code, message, retryable}}` with the codes of ' +
      '`docs/aggregator-guide.md`.',
    tags: [
      { name: 'offers', description: 'Offers and their versions (scope promo:admin).' },
      {
        name: 'grants',
        description: 'Grants of offers to players, revoke (scopes promo:issue, promo:revoke).',
      },
      { name: 'entitlements', description: 'Free spins and free bets given to players (scope promo:issue).' },
      {
        name: 'change requests',
        description: 'Four-eyes publication (promo:admin proposes, promo:approve approves).',
      },
      { name: 'admin', description: 'The audit journal (scope audit:read).' },
    ],
  });
}
