import { offerTerms } from './offer-fixtures';
import { offerTermsProblems } from './offer-terms-problems';

const paths = (terms: Parameters<typeof offerTermsProblems>[0]) =>
  offerTermsProblems(terms).map((p) => p.path);

describe(offerTermsProblems.name, () => {
  it('Given a complete deposit match, When checked, Then there is no problem', () => {
    expect(offerTermsProblems(offerTerms())).toEqual([]);
  });

  it('Given a match without a percentage and wagering without a schema, When checked, Then both fields are named', () => {
    expect(paths(offerTerms({ params: { match_pct: null, contribution_schema: null } }))).toEqual([
      'params.match_pct',
      'params.contribution_schema',
    ]);
  });

  it('Given a no_deposit offer without an amount, When checked, Then params.amount_minor (and the stray percentage)', () => {
    expect(paths(offerTerms({ type: 'no_deposit' }))).toEqual(['params.match_pct', 'params.amount_minor']);
  });

  it('Given free spins without games, When checked, Then params.free_rounds.games', () => {
    const terms = offerTerms({
      type: 'free_spins',
      params: { match_pct: null, free_rounds: { count: 10, bet_value_minor: 20, games: [] } },
    });
    expect(paths(terms)).toEqual(['params.free_rounds.games']);
  });

  it('Given a wagering window longer than the validity and a schedule ending before it starts, When checked, Then both', () => {
    const terms = offerTerms({
      params: { validity_days: 10, wagering_window_days: 20 },
      schedule: { starts_at: '2026-03-02T00:00:00Z', ends_at: '2026-03-01T00:00:00Z' },
    });
    expect(paths(terms)).toEqual(['params.wagering_window_days', 'schedule.ends_at']);
  });
});
