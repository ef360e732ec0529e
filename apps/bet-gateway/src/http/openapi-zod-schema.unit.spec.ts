import { type SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

import {
  authorizeBetSchema,
  degradedModeSchema,
  openSessionSchema,
  rollbackBetSchema,
  settleBetSchema,
} from '../api/request-schemas';
import { jsonSchemaOf } from './openapi-zod-schema';

/**
 * Just enough of an OpenAPI 3.0 schema validator for the keywords jsonSchemaOf emits, written from the
 * specification (not from the converter), so the documented schema is checked against zod on real samples.
 */
function conforms(schema: SchemaObject, value: unknown): boolean {
  if (value === null) return schema.nullable === true;
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

const SAMPLES: Array<[string, z.ZodTypeAny, unknown[]]> = [
  [
    'open session',
    openSessionSchema,
    [
      { player_id: 'player-42', game_id: 'starburst', currency: 'EUR' },
      { player_id: 'player-42', game_id: 'starburst', currency: 'eur' },
      { player_id: 'player-42', game_id: 'starburst', currency: 'EURO' },
      { player_id: '', game_id: 'starburst', currency: 'EUR' },
      { player_id: 'player 42', game_id: 'starburst', currency: 'EUR' },
      { player_id: 'p'.repeat(128), game_id: 'g', currency: 'EUR' },
      { player_id: 'p'.repeat(129), game_id: 'g', currency: 'EUR' },
      { player_id: 'player-42', currency: 'EUR' },
      { player_id: 'player-42', game_id: 'starburst', currency: 'EUR', extra: 1 },
      { player_id: 42, game_id: 'starburst', currency: 'EUR' },
      null,
      [],
      'player-42',
    ],
  ],
  [
    'authorize',
    authorizeBetSchema,
    [
      authorize,
      { ...authorize, bonus_grant_id: null },
      { ...authorize, bonus_grant_id: 'grant-7' },
      { ...authorize, bonus_grant_id: '' },
      { ...authorize, amount: { minor_units: 1, currency: 'EUR' } },
      { ...authorize, amount: { minor_units: 0, currency: 'EUR' } },
      { ...authorize, amount: { minor_units: -250, currency: 'EUR' } },
      { ...authorize, amount: { minor_units: 2.5, currency: 'EUR' } },
      { ...authorize, amount: { minor_units: Number.MAX_SAFE_INTEGER, currency: 'EUR' } },
      { ...authorize, amount: { minor_units: 2 ** 53, currency: 'EUR' } },
      { ...authorize, amount: { minor_units: '250', currency: 'EUR' } },
      { ...authorize, amount: { minor_units: 250, currency: 'EUR', rate: 1 } },
      { ...authorize, amount: { minor_units: 250 } },
      { ...authorize, amount: null },
      { ...authorize, game_type: undefined },
      { ...authorize, round_id: 'round\u00e9' },
    ],
  ],
  [
    'settle',
    settleBetSchema,
    [
      settle,
      { ...settle, win: { minor_units: 500, currency: 'EUR' } },
      { ...settle, win: { minor_units: -1, currency: 'EUR' } },
      { ...settle, win: { minor_units: 0.1, currency: 'EUR' } },
      { ...settle, win: { minor_units: 0, currency: 'Eur' } },
      { bet_id: 'bet-1', win: { minor_units: 0, currency: 'EUR' } },
      { ...settle, status: 'won' },
    ],
  ],
  [
    'rollback',
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

describe(jsonSchemaOf.name, () => {
  describe.each(SAMPLES)('the documented %s body', (_name, schema, samples) => {
    const sut = jsonSchemaOf(schema);

    it.each(samples.map((sample, index) => [index, sample] as const))(
      'accepts sample %i exactly when zod does',
      (_index, sample) => {
        expect(conforms(sut, sample)).toBe(schema.safeParse(sample).success);
      },
    );

    it('has samples zod accepts and samples zod refuses', () => {
      const verdicts = new Set(samples.map((sample) => schema.safeParse(sample).success));
      expect(verdicts).toEqual(new Set([true, false]));
    });
  });

  it('translates bounds, patterns, nullish fields and strictness', () => {
    const sut = jsonSchemaOf(authorizeBetSchema);

    expect(sut.required).not.toContain('bonus_grant_id');
    expect(sut.additionalProperties).toBe(false);
    expect(sut.properties?.['bonus_grant_id']).toMatchObject({
      type: 'string',
      nullable: true,
      maxLength: 128,
    });
    expect(sut.properties?.['amount']).toMatchObject({
      required: ['minor_units', 'currency'],
      properties: {
        minor_units: {
          type: 'integer',
          minimum: 0,
          exclusiveMinimum: true,
          maximum: Number.MAX_SAFE_INTEGER,
        },
        currency: {
          type: 'string',
          pattern: '^[A-Z]{3}$',
          description: 'ISO-4217 alphabetic code, e.g. EUR',
        },
      },
    });
  });

  it('refuses a zod feature it does not translate rather than documenting it wrongly', () => {
    expect(() => jsonSchemaOf(z.object({ tags: z.array(z.string()) }))).toThrow(/ZodArray/);
    expect(() => jsonSchemaOf(z.string().email())).toThrow(/email/);
    expect(() => jsonSchemaOf(z.number().multipleOf(5))).toThrow(/multipleOf/);
  });
});
