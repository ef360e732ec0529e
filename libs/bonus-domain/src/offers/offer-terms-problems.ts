import { type OfferTerms } from './published-offer';

/** One field of a draft that cannot be published as it is. */
export interface TermsProblem {
  readonly path: string;
  readonly problem: string;
}

const MATCHING_TYPES = new Set(['deposit_match', 'reload', 'cashback']);
const FREE_ROUND_TYPES = new Set(['free_spins', 'free_bet']);

/**
 * What the offer's terms contradict, across fields (a well-formed draft can still say "a match with no
 * percentage"): empty when the terms can be published. Each problem names its field path.
 */
export function offerTermsProblems(terms: OfferTerms): TermsProblem[] {
  const problems: TermsProblem[] = [];
  const { params, schedule } = terms;
  const add = (path: string, problem: string) => problems.push({ path, problem });

  if (MATCHING_TYPES.has(terms.type) && (params.match_pct === null || params.match_pct <= 0)) {
    add('params.match_pct', `a ${terms.type} offer needs a percentage above 0`);
  }
  if (!MATCHING_TYPES.has(terms.type) && params.match_pct !== null) {
    add('params.match_pct', `a ${terms.type} offer has no percentage`);
  }
  if (terms.type === 'no_deposit' && (params.amount_minor === null || params.amount_minor <= 0)) {
    add('params.amount_minor', 'a no_deposit offer needs a fixed amount above 0');
  }
  if (terms.type !== 'no_deposit' && params.amount_minor !== null) {
    add('params.amount_minor', 'only a no_deposit offer has a fixed amount');
  }
  if (FREE_ROUND_TYPES.has(terms.type) && params.free_rounds === null) {
    add('params.free_rounds', `a ${terms.type} offer needs count and bet value`);
  }
  if (!FREE_ROUND_TYPES.has(terms.type) && params.free_rounds !== null) {
    add('params.free_rounds', 'only free_spins and free_bet offers give free rounds');
  }
  if (terms.type === 'free_spins' && params.free_rounds !== null && params.free_rounds.games.length === 0) {
    add('params.free_rounds.games', 'free spins must name the games they are played on');
  }
  if (params.wager_x > 0 && params.contribution_schema === null) {
    add('params.contribution_schema', 'wagering needs the contribution schema it is counted under');
  }
  if (params.wagering_window_days !== null && params.wagering_window_days > params.validity_days) {
    add('params.wagering_window_days', `longer than the grant's validity (${params.validity_days} days)`);
  }
  if (params.max_bet_minor !== null && params.max_bet_minor <= 0) {
    add('params.max_bet_minor', 'a maximum bet must be above 0 (null: no limit)');
  }
  if (
    schedule.starts_at !== null &&
    schedule.ends_at !== null &&
    Date.parse(schedule.ends_at) <= Date.parse(schedule.starts_at)
  ) {
    add('schedule.ends_at', 'must be after starts_at');
  }
  return problems;
}
