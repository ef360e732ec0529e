/** One cumulative bucket of a Prometheus histogram: observations ≤ `le`. */
export interface Bucket {
  readonly le: number;
  readonly count: number;
}

/**
 * The q-quantile of a histogram as PromQL's `histogram_quantile` computes it: the bucket holding the rank,
 * interpolated linearly within it (from 0 for the first bucket); a rank in the `+Inf` bucket answers the highest
 * finite bound. Null when there are no observations.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number | null {
  const sorted = [...buckets].filter((bucket) => !Number.isNaN(bucket.le)).sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (total <= 0 || sorted.at(-1)?.le !== Number.POSITIVE_INFINITY) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [index, bucket] of sorted.entries()) {
    if (bucket.count >= rank) {
      if (bucket.le === Number.POSITIVE_INFINITY) return sorted[index - 1]?.le ?? null;
      const inBucket = bucket.count - lowerCount;
      if (inBucket <= 0) return bucket.le;
      return lowerBound + (bucket.le - lowerBound) * ((rank - lowerCount) / inBucket);
    }
    lowerBound = bucket.le;
    lowerCount = bucket.count;
  }
  return null;
}
