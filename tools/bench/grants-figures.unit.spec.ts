import { grantLatencies, type GrantTimes, summarize } from './grants-figures';

const times = (overrides: Partial<GrantTimes>): GrantTimes => ({
  grantId: 'g',
  trigger: 'api',
  triggerRef: '',
  issuedAt: 1_000,
  creditedAt: 1_100,
  ...overrides,
});

describe(grantLatencies.name, () => {
  it('given credited grants, then each is timed from its cause: the deposit published or the request sent', () => {
    const figures = grantLatencies(
      [
        times({ grantId: 'a', issuedAt: 1_050, creditedAt: 1_300 }),
        times({ grantId: 'b', trigger: 'deposit', triggerRef: 'd1', issuedAt: 2_400, creditedAt: 2_500 }),
        times({ grantId: 'c', trigger: 'deposit', triggerRef: 'd1', issuedAt: 2_400, creditedAt: 2_700 }),
      ],
      { deposits: new Map([['d1', 2_000]]), api: new Map([['a', 1_000]]) },
    );
    expect(figures).toEqual({
      depositToCredited: [500, 700],
      apiToCredited: [300],
      issuedToCredited: [250, 100, 300],
      untimed: 0,
    });
  });

  it('given a grant never credited, then no sample; given a cause the bench did not send, then untimed', () => {
    const figures = grantLatencies(
      [times({ grantId: 'a', creditedAt: undefined }), times({ grantId: 'x' })],
      { deposits: new Map(), api: new Map([['a', 900]]) },
    );
    expect(figures).toEqual({
      depositToCredited: [],
      apiToCredited: [],
      issuedToCredited: [100],
      untimed: 1,
    });
  });
});

describe(summarize.name, () => {
  it('gives nearest-rank percentiles and the max, whole ms; nulls without samples', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i + 0.4);
    expect(summarize(samples)).toEqual({ n: 100, p50_ms: 50, p95_ms: 95, p99_ms: 99, max_ms: 100 });
    expect(summarize([])).toEqual({ n: 0, p50_ms: null, p95_ms: null, p99_ms: null, max_ms: null });
  });
});
