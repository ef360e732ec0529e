/**
 * Contribution schemas: how much of a settled stake counts toward a grant's wagering requirement, by game,
 * provider and game type. Percentages are basis points (10000 = 100 %), so every figure is an integer.
 */
export type MatchKind = 'game' | 'provider' | 'game_type';

/** Most specific first: a game rule beats a provider rule, which beats a game-type rule. */
export const MATCH_ORDER: readonly MatchKind[] = ['game', 'provider', 'game_type'];

export const FULL_CONTRIBUTION_BP = 10_000;

export interface ContributionRule {
  readonly match: { readonly kind: MatchKind; readonly value: string };
  readonly pctBp: number;
}

export interface ContributionSchemaVersion {
  readonly schemaId: string;
  readonly version: number;
  readonly rules: readonly ContributionRule[];
  /** What a game no rule matches contributes; 0 by default (an unknown game does not count). */
  readonly defaultPctBp: number;
}

/** The bet's game as the settled result names it; any part may be unknown (null). */
export interface GameFacts {
  readonly gameId: string | null;
  readonly provider: string | null;
  readonly gameType: string | null;
}

/** The rule applied to a bet: `game:<id>`, `provider:<id>`, `game_type:<type>`, `default` or `none`. */
export interface ResolvedRule {
  readonly rule: string;
  readonly pctBp: number;
}

/** Resolved game → provider → game type → default: the first kind with a rule matching the bet's value wins. */
export function resolveRule(schema: ContributionSchemaVersion, game: GameFacts): ResolvedRule {
  const valueOf = new Map<MatchKind, string | null>([
    ['game', game.gameId],
    ['provider', game.provider],
    ['game_type', game.gameType],
  ]);
  for (const kind of MATCH_ORDER) {
    const value = valueOf.get(kind) ?? null;
    if (value === null) continue;
    const rule = schema.rules.find(
      (candidate) => candidate.match.kind === kind && candidate.match.value === value,
    );
    if (rule !== undefined) return { rule: `${kind}:${value}`, pctBp: rule.pctBp };
  }
  return { rule: 'default', pctBp: schema.defaultPctBp };
}

/**
 * floor(stake × pct_bp / 10000) in minor units: the player is never credited a fraction of a minor unit.
 * Computed in bigint so a stake near 2^53 times 10000 is still exact.
 */
export function contributionOf(stakeMinor: number, pctBp: number): number {
  return Number((BigInt(stakeMinor) * BigInt(pctBp)) / BigInt(FULL_CONTRIBUTION_BP));
}

/** One problem of a proposed schema: the field path and what is wrong. */
export interface SchemaProblem {
  readonly path: string;
  readonly problem: string;
}

/** A proposed schema's rules are valid when every pct is 0..10000 bp and no match is listed twice. */
export function schemaProblems(rules: readonly ContributionRule[], defaultPctBp: number): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    if (!isBasisPoints(rule.pctBp))
      problems.push({ path: `rules.${index}.pct`, problem: 'basis points, an integer from 0 to 10000' });
    const key = `${rule.match.kind}:${rule.match.value}`;
    if (seen.has(key)) problems.push({ path: `rules.${index}.match`, problem: `${key} is matched twice` });
    seen.add(key);
  });
  if (!isBasisPoints(defaultPctBp))
    problems.push({ path: 'default_pct', problem: 'basis points, an integer from 0 to 10000' });
  return problems;
}

function isBasisPoints(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= FULL_CONTRIBUTION_BP;
}
