/** Nearest-rank percentile of ascending values (no interpolation: every figure printed was really observed). */
export function percentile(ascending: readonly number[], p: number): number | undefined {
  if (ascending.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * ascending.length));
  return ascending[Math.min(rank, ascending.length) - 1];
}

/** `p50 12 ms, p95 40 ms, p99 80 ms` of unsorted samples, rounded to whole ms (or to 0.1 ms below 10 ms). */
export function formatLatencies(
  samples: readonly number[],
  percentiles: readonly number[] = [50, 95, 99],
  withMax = false,
): string {
  if (samples.length === 0) return 'n/a (no samples)';
  const ascending = [...samples].sort((a, b) => a - b);
  const ms = (value: number | undefined) =>
    value === undefined ? 'n/a' : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
  const figures = percentiles.map((p) => `p${p} ${ms(percentile(ascending, p))}`);
  if (withMax) figures.push(`max ${ms(ascending.at(-1))}`);
  return figures.join(', ');
}
