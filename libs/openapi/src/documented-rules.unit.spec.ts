import { z } from 'zod';

import { undocumentedRules } from './documented-rules';
import { documentField, jsonSchemaOf } from './openapi-builder';

describe(undocumentedRules.name, () => {
  it('finds nothing in a schema the generator documents completely', () => {
    const money = z.object({ minor_units: z.number().int().safe().positive(), currency: z.enum(['EUR']) });
    const sut = z
      .object({
        id: z.string().min(1).max(128).regex(/^\S+$/),
        amount: money.strict(),
        note: z.string().uuid().nullish(),
        tags: z.array(z.union([z.literal('a'), z.boolean()])),
      })
      .strict();

    expect(undocumentedRules(sut)).toEqual([]);
  });

  it.each([
    [
      'a refinement',
      z.object({ currency: z.string().refine((code) => code === 'EUR') }),
      'currency: refinement',
    ],
    ['a transform', z.object({ n: z.string().transform(Number) }), 'n: refinement'],
    ['multipleOf', z.object({ n: z.number().int().multipleOf(5) }), 'n: multipleOf'],
    ['a second regex', z.object({ s: z.string().regex(/^a/).regex(/b$/) }), 's: a second regex'],
    ['regex flags', z.object({ s: z.string().regex(/^a$/i) }), 's: regex flags'],
    ['startsWith', z.object({ s: z.string().startsWith('x') }), 's: startsWith'],
    [
      'a looser lower bound after a tighter one',
      z.object({ n: z.number().positive().safe() }),
      'n: min bounds whose last is not the tightest',
    ],
    [
      'a looser upper bound after a tighter one',
      z.object({ n: z.number().max(10).max(20) }),
      'n: max bounds whose last is not the tightest',
    ],
    ['a nested refinement', z.object({ a: z.object({ b: z.number().refine(Boolean) }) }), 'a.b: refinement'],
    ['an untranslated type', z.object({ at: z.date() }), 'at: ZodDate'],
  ])('reports %s, which the document would not show', (_name, schema, expected) => {
    expect(undocumentedRules(schema)).toEqual([expect.stringContaining(expected)]);
  });

  it('accepts a refinement once its rule is documented', () => {
    const refined = z.object({ currency: z.string().refine((code) => code === 'EUR') }).strict();

    expect(
      undocumentedRules(refined.extend({ currency: refined.shape.currency.describe('EUR only') })),
    ).toEqual([]);
    expect(undocumentedRules(documentField(refined, 'currency', { enum: ['EUR'] }))).toEqual([]);
  });
});

describe(documentField.name, () => {
  const sut = z
    .object({
      bet_id: z.string(),
      amount: z.object({ currency: z.string().refine((code) => code === 'EUR', 'EUR only') }).strict(),
    })
    .strict();

  it('documents a nested field and keeps every rule and the strictness', () => {
    const documented = documentField(sut, 'amount.currency', { enum: ['EUR'], description: 'EUR only' });

    expect(jsonSchemaOf(documented)).toMatchObject({
      additionalProperties: false,
      properties: {
        amount: { additionalProperties: false, properties: { currency: { type: 'string', enum: ['EUR'] } } },
      },
    });
    for (const sample of [
      { bet_id: 'b', amount: { currency: 'EUR' } },
      { bet_id: 'b', amount: { currency: 'USD' } },
      { bet_id: 'b', amount: { currency: 'EUR' }, extra: 1 },
      { bet_id: 'b', amount: { currency: 'EUR', extra: 1 } },
    ]) {
      expect(documented.safeParse(sample).success).toBe(sut.safeParse(sample).success);
    }
  });

  it('refuses a path that names no field, so a renamed field fails the test instead of going undocumented', () => {
    expect(() => documentField(sut, 'win.currency', { enum: ['EUR'] })).toThrow(/no field win/);
    expect(() => documentField(sut, 'bet_id.currency', { enum: ['EUR'] })).toThrow(/no object/);
  });
});
