/** Exponential backoff from 100 ms up to `maxMs`, with jitter so standbys and retries do not move in step. */
export function backoffMs(attempt: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, 100 * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
