import 'reflect-metadata';

import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import {
  type OperationObject,
  type ParameterObject,
  type ResponseObject,
  type SchemaObject,
} from '@nestjs/swagger';

import { ERROR_CATALOGUE, ERROR_CODES, type ErrorCode } from '@pitboss/contracts';

import { jsonSchemaOf } from '@pitboss/openapi';

import { AuditController, ChangeRequestsController } from '@pitboss/governance';

import { AdminController } from './admin.controller';
import { BetsController } from './bets.controller';
import { GameConfigController } from './game-config.controller';
import { buildOpenApiDocument } from './openapi-document';
import { DOCUMENTED_BODIES } from './openapi-routes';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function operationsOf(document: ReturnType<typeof buildOpenApiDocument>) {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = item[method] as OperationObject | undefined;
      return operation ? [{ path, method, operation }] : [];
    }),
  );
}

function errorResponses(operation: OperationObject) {
  return Object.entries(operation.responses)
    .filter(([status]) => Number(status) >= 400)
    .map(([status, response]) => {
      const content = (response as ResponseObject).content?.['application/json'];
      const error = (content?.schema as SchemaObject).properties?.['error'] as SchemaObject;
      const codes = (error.properties?.['code'] as SchemaObject).enum as ErrorCode[];
      return {
        status: Number(status),
        response: response as ResponseObject,
        codes,
        examples: content?.examples,
      };
    });
}

/** `METHOD /path` of every route a controller serves, read from Nest's decorator metadata. */
function routesOf(controller: Type): string[] {
  const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
  return Object.getOwnPropertyNames(controller.prototype).flatMap((name) => {
    const handler = (controller.prototype as Record<string, unknown>)[name] as object;
    const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
    const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
    if (path === undefined || method === undefined) return [];
    const route = `/${base}/${path}`
      .replace(/\/+/g, '/')
      .replace(/(.)\/$/, '$1')
      .replace(/:(\w+)/g, '{$1}');
    return [`${RequestMethod[method]} ${route}`];
  });
}

describe(buildOpenApiDocument.name, () => {
  const sut = buildOpenApiDocument();
  const operations = operationsOf(sut);

  it('is an OpenAPI 3.0 document with the operations the gateway serves', () => {
    expect(sut.openapi).toMatch(/^3\.0\.\d+$/);
    expect(sut.info.title).toBeTruthy();
    expect(operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`).sort()).toEqual(
      [
        'POST /v1/sessions',
        'POST /v1/bets/authorize',
        'POST /v1/bets/settle',
        'POST /v1/bets/rollback',
        'GET /v1/bets/{bet_id}',
        'GET /v1/rounds/{round_id}',
        'GET /v1/admin/mode',
        'PUT /v1/admin/mode',
        'GET /v1/audit',
        'POST /v1/change-requests',
        'GET /v1/change-requests',
        'GET /v1/change-requests/{id}',
        'POST /v1/change-requests/{id}/approve',
        'POST /v1/change-requests/{id}/reject',
        'GET /v1/games/{gameId}/config',
        'GET /v1/games/{gameId}/config/versions',
      ].sort(),
    );
  });

  it('documents exactly the routes of the controllers (parameter names aside)', () => {
    const served = [
      ...routesOf(BetsController),
      ...routesOf(AdminController),
      ...routesOf(AuditController),
      ...routesOf(ChangeRequestsController),
      ...routesOf(GameConfigController),
    ]
      .map((route) => route.replace(/\{\w+\}/g, '{}'))
      .sort();
    const documented = operations
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`.replace(/\{\w+\}/g, '{}'))
      .sort();
    expect(documented).toEqual(served);
  });

  it('gives every operation a unique operationId, a summary, a success response and security', () => {
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(operations.length);
    for (const { operation } of operations) {
      expect(operation.summary).toBeTruthy();
      expect(Object.keys(operation.responses).some((status) => /^2\d\d$/.test(status))).toBe(true);
      expect(operation.security?.length).toBeGreaterThan(0);
    }
  });

  // Codes other services serve. The list may only shrink: a code that a gateway route starts to answer must
  // leave it (second expectation).
  const NOT_YET_SERVED: readonly ErrorCode[] = [
    // Served by reconciliation's API (its own document), never by the gateway.
    'RECON_RUN_NOT_FOUND',
    'RECON_REPORT_INVALID',
    // Served by wagering-progress's API (its own document).
    'CONTRIBUTION_SCHEMA_NOT_FOUND',
    'WAGERING_NOT_FOUND',
    // Served by bonus-grant's API (its own document).
    'OFFER_NOT_FOUND',
    'PLAYER_PROFILE_NOT_FOUND',
    'OFFER_ALREADY_EXISTS',
    'OFFER_PENDING_APPROVAL',
    'OFFER_STATUS_CONFLICT',
    'OFFER_INVALID',
    'OFFER_VIOLATES_REGULATION',
    'GRANT_NOT_FOUND',
    'OFFER_NOT_ACTIVE',
    'OFFER_NOT_GRANTABLE',
    'PLAYER_NOT_ELIGIBLE',
    'OFFER_BUDGET_EXHAUSTED',
    'OFFER_CONFLICT',
    'GRANT_ALREADY_ENDED',
    'VELOCITY_LIMIT',
    'GRANT_APPROVAL_STALE',
    'ENTITLEMENT_OUTSIDE_OFFER',
  ];

  it('lists every catalogue code on at least one operation (but those of routes not built yet)', () => {
    const documented = new Set(
      operations.flatMap(({ operation }) => errorResponses(operation).flatMap(({ codes }) => codes)),
    );
    const undocumented = ERROR_CODES.filter((code) => !documented.has(code));
    expect(undocumented.filter((code) => !NOT_YET_SERVED.includes(code))).toEqual([]);
    expect(NOT_YET_SERVED.filter((code) => documented.has(code))).toEqual([]);
  });

  it("lists each code under the catalogue's HTTP status, with the catalogue's retryable, once per operation", () => {
    for (const { operation } of operations) {
      const responses = errorResponses(operation);
      const codes = responses.flatMap(({ codes }) => codes);
      expect(new Set(codes).size).toBe(codes.length);
      for (const { status, codes, examples, response } of responses) {
        for (const code of codes) {
          expect({ code, status }).toEqual({ code, status: ERROR_CATALOGUE[code].httpStatus });
          const example = (examples?.[code] as { value: { error: { code: string; retryable: boolean } } })
            .value;
          expect(example.error).toMatchObject({ code, retryable: ERROR_CATALOGUE[code].retryable });
          expect(response.description).toContain(`\`${code}\``);
        }
      }
    }
  });

  it('answers every signed operation with the signature errors, and 429 with Retry-After', () => {
    const signed = operations.filter(({ operation }) =>
      operation.security?.some((scheme) => 'signature' in scheme),
    );
    for (const { operation, path } of signed) {
      const codes = errorResponses(operation).flatMap(({ codes }) => codes);
      expect({ path, codes }).toEqual({
        path,
        codes: expect.arrayContaining([
          'UNKNOWN_TENANT',
          'STALE_TIMESTAMP',
          'INVALID_SIGNATURE',
          'RATE_LIMITED',
        ]),
      });
      expect((operation.responses['429'] as ResponseObject).headers?.['Retry-After']).toBeDefined();
    }
  });

  it('requires X-Idempotency-Key on every signed POST and marks replays with Idempotent-Replayed', () => {
    const signedPosts = operations.filter(
      ({ method, operation }) =>
        method === 'post' && operation.security?.some((scheme) => 'signature' in scheme),
    );
    expect(signedPosts.length).toBeGreaterThan(0);
    for (const { operation } of signedPosts) {
      const key = (operation.parameters as ParameterObject[]).find((p) => p.name === 'X-Idempotency-Key');
      expect(key).toMatchObject({ in: 'header', required: true });
      const successes = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
      for (const [, response] of successes) {
        expect((response as ResponseObject).headers?.['Idempotent-Replayed']).toBeDefined();
      }
      expect(operation.responses['409']).toBeDefined();
      expect(operation.responses['422']).toBeDefined();
    }
  });

  it('documents on each route the request body its command validates', () => {
    const bodyOf = (path: string, method: 'post' | 'put' = 'post') =>
      (sut.paths[path]?.[method]?.requestBody as { content: Record<string, { schema: unknown }> }).content[
        'application/json'
      ]?.schema;
    expect(bodyOf('/v1/sessions')).toEqual(jsonSchemaOf(DOCUMENTED_BODIES.openSession));
    expect(bodyOf('/v1/bets/authorize')).toEqual(jsonSchemaOf(DOCUMENTED_BODIES.authorizeBet));
    expect(bodyOf('/v1/bets/settle')).toEqual(jsonSchemaOf(DOCUMENTED_BODIES.settleBet));
    expect(bodyOf('/v1/bets/rollback')).toEqual(jsonSchemaOf(DOCUMENTED_BODIES.rollbackBet));
    expect(bodyOf('/v1/admin/mode', 'put')).toEqual(jsonSchemaOf(DOCUMENTED_BODIES.switchMode));
  });

  it('names in the error descriptions only fields of the error body (`error.fields`, not `details.fields`)', () => {
    for (const { operation } of operations) {
      for (const { status, response } of errorResponses(operation)) {
        const body = (response.content?.['application/json']?.schema ?? {}) as SchemaObject;
        // eslint-disable-next-line security/detect-unsafe-regex -- one quantified group, matched against our own descriptions
        const paths = [...response.description.matchAll(/`((?:error|details)(?:\.\w+)+)`/g)].map(
          (match) => match[1]!,
        );
        const missing = paths.filter(
          (path) =>
            path
              .split('.')
              .reduce<SchemaObject | undefined>(
                (schema, name) => schema?.properties?.[name] as SchemaObject | undefined,
                body,
              ) === undefined,
        );
        expect({ operation: operation.operationId, status, missing }).toEqual({
          operation: operation.operationId,
          status,
          missing: [],
        });
      }
    }
  });

  it('resolves every $ref and scheme it uses', () => {
    const refs = JSON.stringify(sut).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      const name = /#\/components\/schemas\/(\w+)/.exec(ref)?.[1];
      expect(name && sut.components?.schemas?.[name]).toBeTruthy();
    }
    const schemes = operations.flatMap(({ operation }) => operation.security?.flatMap(Object.keys) ?? []);
    for (const scheme of schemes) expect(sut.components?.securitySchemes?.[scheme]).toBeDefined();
  });

  it.each([
    ['session expiry', /Session expiry is checked on authorize only/],
    ['uncertain debits', /rolled back automatically[\s\S]*WALLET_UNAVAILABLE[\s\S]*burnt/],
    ['rollback of an unknown bet', /never seen is a success[\s\S]*tombstones/],
    ['no rollback after settlement', /cannot be rolled back \(409 `BET_ALREADY_SETTLED`\)/],
    ['settle answers', /202 `pending_credit`[\s\S]*`credited` or `compensated`/],
    ['replays', /Idempotent-Replayed: true/],
    ['rate limits', /429 `RATE_LIMITED` carries `Retry-After`/],
    ['degraded mode', /NO_NEW_SESSIONS/],
  ])('states the rule on %s', (_rule, pattern) => {
    expect(sut.info.description).toMatch(pattern);
  });

  it('is plain JSON (what /docs/openapi.json serves)', () => {
    expect(JSON.parse(JSON.stringify(sut))).toEqual(sut);
  });
});
