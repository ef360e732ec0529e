import { type OpenAPIObject } from '@nestjs/swagger';

import { generateOpenApiDocument, OpenAPIRegistry } from '@pitboss/openapi';

import { moneySchema, betViewSchema, gatewayModeSchema } from './openapi-response-schemas';
import { ROUTE_DOCS } from './openapi-routes';

const RULES = `
The aggregator API of Pitboss's bet-gateway. Integration guide: \`docs/aggregator-guide.md\` in the repository.
The same operations, fields and error codes are served over gRPC (\`pitboss.gateway.v1.BetGateway\`).

**Authentication.** Every \`/v1\` call except \`/v1/admin\` is signed: \`X-Tenant-Id\`, \`X-Timestamp\` (unix ms,
within 5 minutes of server time) and \`X-Signature\` = 64 lower-case hex characters (upper case is refused): the
HMAC-SHA256 with the tenant secret of \`timestamp + "." + METHOD + "." + path (with query, as sent) + "." +
X-Idempotency-Key (empty if none) + "." + raw body bytes\`. The key is signed so that a captured request cannot be
replayed under a new key. Instead of the secret, a tenant may sign with an Ed25519 key it registered: the same
string, \`X-Key-Id\` naming the key, and \`X-Signature\` = its Ed25519 signature in 128 lower-case hex characters
(an unknown or revoked key is \`INVALID_SIGNATURE\`). "Try it out" cannot sign; use
\`tools/examples/sign-request.ts\` (\`sign-request-ed25519.ts\`) or the guide's curl recipe.

**Idempotency.** Every POST needs \`X-Idempotency-Key\` (1-255 printable ASCII), scoped per tenant and route. The
same key with the same body replays the first answer with \`Idempotent-Replayed: true\`; with another body it is
422 \`IDEMPOTENCY_MISMATCH\`; while the first is still running, 409 \`IDEMPOTENCY_IN_PROGRESS\` with
\`Retry-After\`. 5xx and 429 answers are not stored: a retry with the same key executes again.

**Rules of the bet lifecycle.**
- Session expiry is checked on authorize only: a round that started keeps settling and rolling back after its
  session expired.
- A debit the wallet did not confirm (timeout, 5xx, circuit open) is rolled back automatically and answered
  503 \`WALLET_UNAVAILABLE\`. That \`bet_id\` is burnt: every later authorize of it answers the same; place the bet
  again under a new \`bet_id\`.
- Rolling back a bet never seen is a success (200 \`rolled_back\`) and tombstones the \`bet_id\`: the bet
  arriving later is refused with \`BET_ALREADY_ROLLED_BACK\`.
- Once a settlement was accepted the bet cannot be rolled back (409 \`BET_ALREADY_SETTLED\`): the win is owed
  and is credited or compensated, never dropped.
- Settle answers 202 \`pending_credit\` (the win is credited asynchronously); settling again with the same win
  under a new idempotency key answers the current status (200 \`credited\` or \`compensated\`); another win is
  409 \`BET_ALREADY_SETTLED\`.
- 429 \`RATE_LIMITED\` carries \`Retry-After\` (seconds); authorize is charged to the session's bucket and the
  tenant's, every other call to the tenant's.
- Degraded mode: while the operator switched it on, or the settlement backlog is above its threshold, opening a
  session answers 503 \`NO_NEW_SESSIONS\`; running rounds keep betting, settling and rolling back.

**Money** is \`{minor_units, currency}\`: an integer number of minor units (cents) of an ISO-4217 currency,
never a float. **Times** are RFC 3339 UTC.
`.trim();

/** The OpenAPI 3.0 document of the aggregator API, request bodies generated from the zod schemas. */
export function buildOpenApiDocument(): OpenAPIObject {
  const registry = new OpenAPIRegistry();
  registerSecuritySchemes(registry);
  registry.register('Money', moneySchema);
  registry.register('BetView', betViewSchema);
  registry.register('GatewayMode', gatewayModeSchema);
  for (const route of ROUTE_DOCS) registry.registerPath(route);
  return generateOpenApiDocument(registry, {
    title: 'Pitboss bet-gateway API',
    version: '1.0.0',
    description: RULES,
    tags: [
      { name: 'sessions', description: 'Game sessions: where bets are placed.' },
      {
        name: 'bets',
        description: 'Authorize (debit), settle (credit), roll back, and read bets and rounds.',
      },
      {
        name: 'change requests',
        description:
          'Four-eyes changes of game configs and their reads (bearer tokens, see docs/security.md).',
      },
      {
        name: 'admin',
        description:
          'Operator calls (bearer access token with the scope gateway:admin), not for aggregators.',
      },
    ],
  });
}

function registerSecuritySchemes(registry: OpenAPIRegistry): void {
  registry.registerComponent('securitySchemes', 'tenantId', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Tenant-Id',
    description: 'The tenant id.',
  });
  registry.registerComponent('securitySchemes', 'timestamp', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Timestamp',
    description: 'Request time in unix milliseconds, digits only; at most 5 minutes from server time.',
  });
  registry.registerComponent('securitySchemes', 'signature', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Signature',
    description:
      'Lower-case hex HMAC-SHA256 of `timestamp.METHOD.path.idempotencyKey.rawBody` (see the description).',
  });
  registry.registerComponent('securitySchemes', 'keyId', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Key-Id',
    description:
      "The id of the tenant's registered Ed25519 public key; with it, X-Signature is the Ed25519 signature " +
      '(128 lower-case hex characters) of the same signing string instead of the HMAC.',
  });
  registry.registerComponent('securitySchemes', 'operatorToken', {
    type: 'oauth2',
    description:
      "An access token of the identity provider (AUTH_ISSUER_URL; the token URL below is the local stack's " +
      "Keycloak), sent as Authorization: Bearer <token>. The platform tenant's clients only; see docs/security.md.",
    flows: {
      clientCredentials: {
        tokenUrl: 'http://127.0.0.1:8180/realms/pitboss/protocol/openid-connect/token',
        scopes: {
          'gateway:admin': 'Read and switch the gateway mode.',
          'audit:read': "Read the token's tenant's audit journal.",
          'config:write': "Propose game config changes and read the games' configs.",
          'config:approve': 'Approve or reject game config changes (another person than the author).',
        },
      },
    },
  });
}
