import { PitbossError } from '@pitboss/contracts';

import { decideAuthorize } from './authorize-bet.decider';
import { aBet, debitRequested, eur, given, NOW, openSessionFacts } from './bet.fixtures';
import { type GameConfig } from './game-config';
import { assertMathVersionAllowed, onlyTurnsFeaturesOff } from './game-config-change';
import { mathVersionForBet } from './game-config.rules';

const math = {
  version: 'starburst-1.2',
  certified_rtp_bp: 9610,
  rtp_corridor_bp: { min: 9500, max: 9700 },
  certificate: 'GLI-19-2026-0042',
};

function aConfig(overrides: Partial<GameConfig> = {}): GameConfig {
  return {
    game_id: 'starburst',
    region: 'eu',
    stake_limits: [{ currency: 'EUR', min_minor_units: 10, max_minor_units: 10_000 }],
    denominations: [10, 25],
    geo_bans: ['US'],
    features: { bonus_buy: true, new_rtp_pool: false },
    math,
    ...overrides,
  };
}

function codeOf(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    if (error instanceof PitbossError) return error.code;
    throw error;
  }
  throw new Error('expected a PitbossError');
}

const aPlay = (overrides: Partial<Parameters<typeof mathVersionForBet>[1]> = {}) => ({
  amount: eur(100),
  country: 'DE',
  features: [] as string[],
  ...overrides,
});

describe(mathVersionForBet.name, () => {
  const sut = mathVersionForBet;

  it('Given no configuration, Then nothing is checked and there is no math version', () => {
    expect(sut(null, aPlay({ amount: eur(1), country: null, features: ['bonus_buy'] }))).toBeNull();
  });

  it('Given a bet within the configuration, Then it is played under the current math version', () => {
    expect(sut(aConfig(), aPlay({ features: ['bonus_buy'] }))).toBe('starburst-1.2');
  });

  it.each([
    ['GEO_BLOCKED', aPlay({ country: 'US' })],
    ['GEO_BLOCKED', aPlay({ country: null })],
    ['FEATURE_DISABLED', aPlay({ features: ['new_rtp_pool'] })],
    ['FEATURE_DISABLED', aPlay({ features: ['never_heard_of'] })],
    ['STAKE_OUT_OF_LIMITS', aPlay({ amount: eur(10_010) })],
    ['STAKE_OUT_OF_LIMITS', aPlay({ amount: eur(5) })],
    ['STAKE_OUT_OF_LIMITS', aPlay({ amount: eur(33) })],
    ['STAKE_OUT_OF_LIMITS', aPlay({ amount: { minor_units: 100, currency: 'USD' } })],
  ])('Given the configured game, When a bet breaks a rule, Then %s', (code, play) => {
    expect(codeOf(() => sut(aConfig(), play))).toBe(code);
  });

  it('Given a game without geo-bans, Then a session without a country may play', () => {
    expect(sut(aConfig({ geo_bans: [] }), aPlay({ country: null }))).toBe('starburst-1.2');
  });
});

describe('decideAuthorize with a game configuration', () => {
  it('Given a configured game, When a bet is authorized, Then the intent carries the math version', () => {
    const facts = { ...openSessionFacts(), gameConfig: aConfig({ geo_bans: [] }) };
    expect(decideAuthorize({ terms: aBet(), now: NOW }, given(), facts)).toEqual([
      { type: 'bet.debit_requested', data: { ...aBet(), math_version: 'starburst-1.2' } },
    ]);
  });

  it('Given a bet_id seen before, When the config changed since, Then the bet answers from its state', () => {
    const facts = { ...openSessionFacts(), gameConfig: aConfig({ features: {}, geo_bans: ['DE'] }) };
    expect(
      decideAuthorize({ terms: aBet(), now: NOW, features: ['bonus_buy'] }, given(debitRequested()), facts),
    ).toEqual([]);
  });
});

describe(onlyTurnsFeaturesOff.name, () => {
  it.each([
    ['a feature switched off', aConfig({ features: { bonus_buy: false, new_rtp_pool: false } }), true],
    ['a feature removed', aConfig({ features: { new_rtp_pool: false } }), true],
    ['a feature switched on', aConfig({ features: { bonus_buy: true, new_rtp_pool: true } }), false],
    ['one off, another on', aConfig({ features: { bonus_buy: false, new_rtp_pool: true } }), false],
    ['off with new limits', aConfig({ features: { bonus_buy: false }, denominations: [5] }), false],
    ['nothing changed', aConfig(), false],
  ])(
    'Given the current config, When the proposal is %s, Then one person suffices: %s',
    (_name, proposed, expected) => {
      expect(onlyTurnsFeaturesOff(aConfig(), proposed)).toBe(expected);
    },
  );

  it('Given no current config, Then a first version always needs two people', () => {
    expect(onlyTurnsFeaturesOff(null, aConfig({ features: {} }))).toBe(false);
  });
});

describe(assertMathVersionAllowed.name, () => {
  it('Given a certified version, When the same version is proposed with another RTP, Then MATH_VERSION_FROZEN', () => {
    expect(codeOf(() => assertMathVersionAllowed([math], { ...math, certified_rtp_bp: 9650 }))).toBe(
      'MATH_VERSION_FROZEN',
    );
  });

  it('Given a certified version, When it is proposed unchanged or a new one is, Then it is allowed', () => {
    expect(() => assertMathVersionAllowed([math], math)).not.toThrow();
    expect(() => assertMathVersionAllowed([math], { ...math, version: 'starburst-1.3' })).not.toThrow();
  });

  it('Given an RTP outside its own corridor, Then INVALID_REQUEST', () => {
    expect(codeOf(() => assertMathVersionAllowed([], { ...math, certified_rtp_bp: 9800 }))).toBe(
      'INVALID_REQUEST',
    );
  });
});
