import { histogramQuantile } from './histogram-quantile';

const INF = Number.POSITIVE_INFINITY;

describe(histogramQuantile.name, () => {
  const sut = histogramQuantile;

  it('interpolates within the bucket holding the rank, as PromQL does', () => {
    // 100 observations: 50 ≤ 0.1, 90 ≤ 0.5, 100 ≤ 1. Rank 95 lies halfway through (0.5, 1].
    const buckets = [
      { le: 0.1, count: 50 },
      { le: 0.5, count: 90 },
      { le: 1, count: 100 },
      { le: INF, count: 100 },
    ];
    expect(sut(0.95, buckets)).toBeCloseTo(0.75, 10);
    expect(sut(0.5, buckets)).toBeCloseTo(0.1, 10);
    // The first bucket interpolates from 0.
    expect(sut(0.25, buckets)).toBeCloseTo(0.05, 10);
  });

  it('answers the highest finite bound when the rank falls in +Inf, whatever the bucket order given', () => {
    expect(
      sut(0.99, [
        { le: INF, count: 10 },
        { le: 1, count: 5 },
        { le: 0.5, count: 1 },
      ]),
    ).toBe(1);
  });

  it('answers null without observations or without a +Inf bucket', () => {
    expect(
      sut(0.95, [
        { le: 1, count: 0 },
        { le: INF, count: 0 },
      ]),
    ).toBeNull();
    expect(sut(0.95, [{ le: 1, count: 3 }])).toBeNull();
    expect(sut(0.95, [])).toBeNull();
  });
});
