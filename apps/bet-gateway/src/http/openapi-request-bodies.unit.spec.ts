import { type SchemaObject } from '@nestjs/swagger';
import { type z } from 'zod';

import { undocumentedRules } from '@pitboss/openapi';

import {
  authorizeBetSchema,
  degradedModeSchema,
  openSessionSchema,
  rollbackBetSchema,
  settleBetSchema,
} from '../api/request-schemas';
import { buildOpenApiDocument } from './openapi-document';
import { DOCUMENTED_BODIES } from './openapi-routes';

// Keywords `conforms` checks; anything else in a body throws, so a keyword the generator starts to emit cannot
// slip past the parity check unvalidated. `description` and `example` do not constrain a value.
const KNOWN_KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'minLength',
  'maxLength',
  'pattern',
  'enum',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'nullable',
  'description',
  'example',
]);

/**
 * Just enough of an OpenAPI 3.0 schema validator for the keywords of the request bodies, written from the
 * specification (not from the generator), so the served document is checked against zod on real samples.
 */
function conforms(schema: SchemaObject, value: unknown): boolean {
  const unknown = Object.keys(schema).filter((keyword) => !KNOWN_KEYWORDS.has(keyword));
  if (unknown.length > 0) throw new Error(`the test validator does not know ${unknown.join(', ')}`);
  if (value === null) return schema.nullable === true;
  if (schema.enum !== undefined && !schema.enum.includes(value)) return false;
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return false;
      const record = value as Record<string, unknown>;
      const properties = (schema.properties ?? {}) as Record<string, SchemaObject>;
      if ((schema.required ?? []).some((name) => !(name in record))) return false;
      if (schema.additionalProperties === false && Object.keys(record).some((key) => !(key in properties)))
        return false;
      return Object.entries(record).every(([key, field]) => {
        const property = properties[key];
        return property === undefined || conforms(property, field);
      });
    }
    case 'string':
      return (
        typeof value === 'string' &&
        value.length >= (schema.minLength ?? 0) &&
        value.length <= (schema.maxLength ?? Infinity) &&
        // eslint-disable-next-line security/detect-non-literal-regexp -- the pattern is our own document's
        (schema.pattern === undefined || new RegExp(schema.pattern).test(value))
      );
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return false;
      if (schema.type === 'integer' && !Number.isInteger(value)) return false;
      const { minimum, maximum } = schema;
      if (minimum !== undefined && (schema.exclusiveMinimum ? value <= minimum : value < minimum))
        return false;
      if (maximum !== undefined && (schema.exclusiveMaximum ? value >= maximum : value > maximum))
        return false;
      return true;
    }
    case 'boolean':
      return typeof value === 'boolean';
    default:
      throw new Error(`the test validator does not know type ${String(schema.type)}`);
  }
}

const document = buildOpenApiDocument();

function servedBody(path: string, method: 'post' | 'put' = 'post'): SchemaObject {
  const body = document.paths[path]?.[method]?.requestBody as {
    content: Record<string, { schema: unknown }>;
  };
  return body.content['application/json']?.schema as SchemaObject;
}

function documentedAmount(path: string, money: 'amount' | 'win'): SchemaObject {
  const properties = servedBody(path).properties?.[money] as SchemaObject;
  return properties.properties?.['minor_units'] as SchemaObject;
}

/** The documented bounds of an amount and one past each: where a drift between zod and the document shows. */
function aroundBounds(schema: SchemaObject): number[] {
  return [schema.minimum, schema.maximum].flatMap((bound) =>
    bound === undefined ? [] : [bound - 1, bound, bound + 1],
  );
}

const SESSION_ID = '0b6f1c2e-7d0a-4c1e-9a57-2f0d9e3b8c41';
const authorize = {
  bet_id: 'bet-1',
  round_id: 'round-1',
  session_id: SESSION_ID,
  player_id: 'player-42',
  game_id: 'starburst',
  game_type: 'slot',
  amount: { minor_units: 250, currency: 'EUR' },
};
const settle = { bet_id: 'bet-1', round_id: 'round-1', win: { minor_units: 0, currency: 'EUR' } };
const session = { player_id: 'player-42', game_id: 'starburst', currency: 'EUR' };

const SAMPLES: Array<[string, string, z.ZodTypeAny, unknown[]]> = [
  [
    'open session',
    '/v1/sessions',
    openSessionSchema,
    [
      session,
      { ...session, currency: 'USD' },
      { ...session, currency: 'eur' },
      { ...session, currency: 'EURO' },
      { ...session, currency: 'QQQ' },
      { ...session, player_id: '' },
      { ...session, player_id: 'player 42' },
      { player_id: 'p'.repeat(128), game_id: 'g', currency: 'EUR' },
      { player_id: 'p'.repeat(129), game_id: 'g', currency: 'EUR' },
      { player_id: 'player-42', currency: 'EUR' },
      { ...session, extra: 1 },
      { ...session, player_id: 42 },
      null,
      [],
      'player-42',
    ],
  ],
  [
    'authorize',
    '/v1/bets/authorize',
    authorizeBetSchema,
    [
      authorize,
      { ...authorize, bonus_grant_id: null },
      { ...authorize, bonus_grant_id: 'grant-7' },
      { ...authorize, bonus_grant_id: '' },
      ...[1, 0, -250, 2.5, Number.MAX_SAFE_INTEGER, 2 ** 53, '250'].map((minor_units) => ({
        ...authorize,
        amount: { minor_units, currency: 'EUR' },
      })),
      ...aroundBounds(documentedAmount('/v1/bets/authorize', 'amount')).map((minor_units) => ({
        ...authorize,
        amount: { minor_units, currency: 'EUR' },
      })),
      { ...authorize, amount: { minor_units: 250, currency: 'XYZ' } },
      { ...authorize, amount: { minor_units: 250, currency: 'EUR', rate: 1 } },
      { ...authorize, amount: { minor_units: 250 } },
      { ...authorize, amount: null },
      { ...authorize, game_type: undefined },
      { ...authorize, round_id: 'round\u00e9' },
    ],
  ],
  [
    'settle',
    '/v1/bets/settle',
    settleBetSchema,
    [
      settle,
      { ...settle, win: { minor_units: 500, currency: 'EUR' } },
      { ...settle, win: { minor_units: -1, currency: 'EUR' } },
      { ...settle, win: { minor_units: 0.1, currency: 'EUR' } },
      ...aroundBounds(documentedAmount('/v1/bets/settle', 'win')).map((minor_units) => ({
        ...settle,
        win: { minor_units, currency: 'EUR' },
      })),
      { ...settle, win: { minor_units: 0, currency: 'Eur' } },
      { ...settle, win: { minor_units: 0, currency: 'GBP' } },
      { bet_id: 'bet-1', win: { minor_units: 0, currency: 'EUR' } },
      { ...settle, status: 'won' },
    ],
  ],
  [
    'rollback',
    '/v1/bets/rollback',
    rollbackBetSchema,
    [
      { bet_id: 'bet-1', reason: 'round cancelled' },
      { bet_id: 'bet-1', reason: 'with spaces and ünïcödé' },
      { bet_id: 'bet-1', reason: '' },
      { bet_id: 'bet-1', reason: 'r'.repeat(500) },
      { bet_id: 'bet-1', reason: 'r'.repeat(501) },
      { bet_id: 'bet-1' },
    ],
  ],
  [
    'degraded mode',
    '/v1/admin/mode',
    degradedModeSchema,
    [
      { no_new_sessions: true, reason: 'maintenance' },
      { no_new_sessions: false, reason: 'done' },
      { no_new_sessions: 'true', reason: 'maintenance' },
      { no_new_sessions: true },
      { no_new_sessions: true, reason: 'maintenance', until: 'tomorrow' },
    ],
  ],
];

describe('the request bodies of the OpenAPI document', () => {
  describe.each(SAMPLES)('the served %s body', (_name, path, schema, samples) => {
    const sut = servedBody(path, path === '/v1/admin/mode' ? 'put' : 'post');

    it.each(samples.map((sample, index) => [index, sample] as const))(
      'accepts sample %i exactly when the validating zod schema does',
      (_index, sample) => {
        expect(conforms(sut, sample)).toBe(schema.safeParse(sample).success);
      },
    );

    it('has samples zod accepts and samples zod refuses', () => {
      const verdicts = new Set(samples.map((sample) => schema.safeParse(sample).success));
      expect(verdicts).toEqual(new Set([true, false]));
    });
  });

  it.each(Object.entries(DOCUMENTED_BODIES))('shows every rule of the %s body', (_operation, body) => {
    expect(undocumentedRules(body)).toEqual([]);
  });

  it('shows bounds, patterns, nullish fields and strictness', () => {
    const sut = servedBody('/v1/bets/authorize');

    expect(sut.required).not.toContain('bonus_grant_id');
    expect(sut.additionalProperties).toBe(false);
    expect(sut.properties?.['bonus_grant_id']).toMatchObject({
      type: 'string',
      nullable: true,
      maxLength: 128,
      pattern: '^[\\x21-\\x7e]+$',
    });
    const amount = sut.properties?.['amount'] as SchemaObject;
    expect(amount).toMatchObject({ required: ['minor_units', 'currency'], additionalProperties: false });
    expect(amount.properties?.['minor_units']).toMatchObject({
      type: 'integer',
      minimum: 0,
      exclusiveMinimum: true,
    });
    expect((amount.properties?.['minor_units'] as SchemaObject).maximum).toBeLessThanOrEqual(
      Number.MAX_SAFE_INTEGER,
    );
    const currency = amount.properties?.['currency'] as SchemaObject;
    expect(currency).toMatchObject({ type: 'string', description: expect.stringContaining('ISO-4217') });
    expect(currency.enum).toEqual(expect.arrayContaining(['EUR', 'USD', 'JPY']));
  });
});
