import { type ContributionSchemaVersion } from './contribution-schema';
import { type ConsiderSettledBet } from './progress.commands';
import { type WageringEvent } from './progress.events';
import { foldWagering, type WageringState } from './progress.state';
import { type SettledBetFacts, type WageringTerms } from './wagering-terms';

export const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });

export const aSchema = (overrides: Partial<ContributionSchemaVersion> = {}): ContributionSchemaVersion => ({
  schemaId: 'standard',
  version: 1,
  rules: [
    { match: { kind: 'game_type', value: 'slot' }, pctBp: 10_000 },
    { match: { kind: 'game_type', value: 'table' }, pctBp: 1_000 },
    { match: { kind: 'provider', value: 'evolution' }, pctBp: 500 },
    { match: { kind: 'game', value: 'blood-suckers' }, pctBp: 0 },
  ],
  defaultPctBp: 0,
  ...overrides,
});

export const terms = (overrides: Partial<WageringTerms> = {}): WageringTerms => ({
  grantId: 'grant-1',
  playerId: 'player-1',
  required: eur(1_000),
  base: 'deposit_plus_bonus',
  schemaId: 'standard',
  schemaVersion: 1,
  maxBet: eur(500),
  activeFrom: '2026-12-01T00:00:00.000Z',
  windowEndsAt: '2026-12-31T00:00:00.000Z',
  excludedGames: [],
  ...overrides,
});

export const aBet = (overrides: Partial<SettledBetFacts> = {}): SettledBetFacts => ({
  betId: 'bet-1',
  stake: eur(100),
  gameId: 'starburst',
  provider: 'netent',
  gameType: 'slot',
  fundedBy: 'bonus',
  bonusGrantId: 'grant-1',
  at: '2026-12-02T12:00:00.000Z',
  ...overrides,
});

export const consider = (
  bet: Partial<SettledBetFacts> = {},
  overrides: Partial<ConsiderSettledBet> = {},
): ConsiderSettledBet => ({
  type: 'ConsiderSettledBet',
  bet: aBet(bet),
  feedsThisGrant: true,
  schema: aSchema(),
  ...overrides,
});

export const started = (overrides: Partial<WageringTerms> = {}): WageringEvent => ({
  type: 'wagering.started',
  data: { terms: terms(overrides) },
});

export const given = (...events: WageringEvent[]): WageringState => foldWagering(events);
