import { z } from 'zod';

import { type ErrorCode } from '@pitboss/contracts';
import { type DocumentedChangeKind } from '@pitboss/governance';
import { errorResponsesOf, jsonResponse, type RouteConfig } from '@pitboss/openapi';

import { idSchema } from '../api/request-schemas';
import { GAME_CONFIG_POLICY } from '../governance/game-config.kind';
import { gameConfigSchema } from '../governance/game-config.schema';
import { type OperationId } from './openapi-operation-errors';

const GAME_CONFIG_EXAMPLE = {
  game_id: 'starburst',
  region: 'eu-west-1',
  stake_limits: [{ currency: 'EUR', min_minor_units: 10, max_minor_units: 10_000 }],
  denominations: [10, 50],
  geo_bans: ['US'],
  features: { bonus_buy: false, new_rtp_pool: true },
  math: {
    version: 'starburst-1.2',
    certified_rtp_bp: 9_610,
    rtp_corridor_bp: { min: 9_400, max: 9_750 },
    certificate: 'GLI-19 2026-114',
  },
};

/** The gateway's one change kind, `game_config`: the whole new version of a game's config in one region. */
export const GAME_CONFIG_DOC: DocumentedChangeKind = {
  kind: GAME_CONFIG_POLICY.kind,
  proposeScope: GAME_CONFIG_POLICY.proposeScope,
  approveScope: GAME_CONFIG_POLICY.approveScope,
  rule: 'unless the change only turns features off (a kill switch applies at once)',
  payload: gameConfigSchema.openapi('GameConfig', {
    description:
      "A game's configuration in one region: stake limits per currency (minor units), coin sizes, banned " +
      'countries (ISO 3166-1 alpha-2), feature flags and the certified math version (frozen once used).',
  }),
  example: GAME_CONFIG_EXAMPLE,
};

const versionSchema = z
  .object({
    version: z.number().int().min(1),
    config: gameConfigSchema,
    change_request_id: z
      .string()
      .uuid()
      .nullable()
      .openapi({ description: 'The approved request; null for a seed.' }),
    created_at: z.string().datetime(),
  })
  .openapi('GameConfigVersion');

const VERSION_EXAMPLE = {
  version: 3,
  config: GAME_CONFIG_EXAMPLE,
  change_request_id: '6a1f0c7e-3c0e-4d7a-9d7e-0d5c1f2e9b10',
  created_at: '2026-01-01T11:00:00.000Z',
};

const CONFIG_SECURITY = [{ operatorToken: ['config:write'] }];
const params = z.object({ gameId: idSchema });

/** `GET /v1/games/{gameId}/config` and `/versions`. */
export function gameConfigRouteDocs(
  errors: Readonly<Record<OperationId, readonly ErrorCode[]>>,
): RouteConfig[] {
  return [
    {
      method: 'get',
      path: '/v1/games/{gameId}/config',
      operationId: 'getGameConfig',
      tags: ['change requests'],
      summary: "The game's config in force on this replica",
      description:
        "Scope `config:write`; the tenant is the token's, the region this deployment's. The version this " +
        'replica enforces on authorize (from memory, kept fresh by LISTEN/NOTIFY with a poll fallback).',
      security: CONFIG_SECURITY,
      request: { params },
      responses: {
        '200': jsonResponse('The version in force.', versionSchema, VERSION_EXAMPLE),
        ...errorResponsesOf(errors.getGameConfig),
      },
    },
    {
      method: 'get',
      path: '/v1/games/{gameId}/config/versions',
      operationId: 'listGameConfigVersions',
      tags: ['change requests'],
      summary: "Every version of the game's config, oldest first",
      description:
        'Versions are immutable; going back is a new version equal to an old one (through a change request).',
      security: CONFIG_SECURITY,
      request: { params },
      responses: {
        '200': jsonResponse(
          'The versions.',
          z.object({ game_id: z.string(), region: z.string(), versions: z.array(versionSchema) }),
          { game_id: 'starburst', region: 'eu-west-1', versions: [VERSION_EXAMPLE] },
        ),
        ...errorResponsesOf(errors.listGameConfigVersions),
      },
    },
  ];
}
