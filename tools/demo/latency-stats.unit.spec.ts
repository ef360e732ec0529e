import { formatLatencies, percentile } from './latency-stats';

describe(percentile.name, () => {
  it('answers an observed value by nearest rank', () => {
    const ascending = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(ascending, 50)).toBe(50);
    expect(percentile(ascending, 95)).toBe(95);
    expect(percentile(ascending, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeUndefined();
  });
});

describe(formatLatencies.name, () => {
  it('sorts the samples itself and prints the requested percentiles', () => {
    expect(formatLatencies([30, 10, 20], [50], true)).toBe('p50 20 ms, max 30 ms');
    expect(formatLatencies([1.234])).toBe('p50 1.2 ms, p95 1.2 ms, p99 1.2 ms');
    expect(formatLatencies([])).toBe('n/a (no samples)');
  });
});
