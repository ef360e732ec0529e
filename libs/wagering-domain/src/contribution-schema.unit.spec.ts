import { contributionOf, resolveRule, schemaProblems } from './contribution-schema';
import { aSchema } from './wagering.fixtures';

describe(resolveRule.name, () => {
  const sut = resolveRule;

  it('prefers a game rule to the provider and the game type', () => {
    expect(sut(aSchema(), { gameId: 'blood-suckers', provider: 'evolution', gameType: 'slot' })).toEqual({
      rule: 'game:blood-suckers',
      pctBp: 0,
    });
  });

  it('prefers a provider rule to the game type', () => {
    expect(sut(aSchema(), { gameId: 'lightning', provider: 'evolution', gameType: 'table' })).toEqual({
      rule: 'provider:evolution',
      pctBp: 500,
    });
  });

  it('falls back to the game type, then to the default', () => {
    expect(sut(aSchema(), { gameId: 'x', provider: null, gameType: 'table' })).toEqual({
      rule: 'game_type:table',
      pctBp: 1_000,
    });
    expect(sut(aSchema(), { gameId: 'x', provider: 'y', gameType: 'crash' })).toEqual({
      rule: 'default',
      pctBp: 0,
    });
    expect(sut(aSchema({ defaultPctBp: 2_500 }), { gameId: null, provider: null, gameType: null })).toEqual({
      rule: 'default',
      pctBp: 2_500,
    });
  });
});

describe(contributionOf.name, () => {
  it.each([
    [100, 10_000, 100],
    [99, 1_000, 9],
    [1, 9_999, 0],
    [333, 3_333, 110],
    [Number.MAX_SAFE_INTEGER, 10_000, Number.MAX_SAFE_INTEGER],
  ])('floors %i × %i bp to %i minor units', (stake, pct, expected) => {
    expect(contributionOf(stake, pct)).toBe(expected);
  });
});

describe(schemaProblems.name, () => {
  it('accepts a valid schema', () => {
    expect(schemaProblems(aSchema().rules, 0)).toEqual([]);
  });

  it('names a pct out of range, a fraction and a match listed twice', () => {
    const rules = [
      { match: { kind: 'game', value: 'a' }, pctBp: 10_001 },
      { match: { kind: 'game', value: 'b' }, pctBp: 12.5 },
      { match: { kind: 'game', value: 'a' }, pctBp: 100 },
    ] as const;
    expect(schemaProblems(rules, -1).map((problem) => problem.path)).toEqual([
      'rules.0.pct',
      'rules.1.pct',
      'rules.2.match',
      'default_pct',
    ]);
  });
});
