import { type Sample } from './prometheus-text';

/** One successful scrape of one target. */
export interface Scrape {
  readonly target: string;
  readonly at: number;
  readonly samples: readonly Sample[];
}

type Labels = Readonly<Record<string, string>>;

/**
 * Each target's scrapes of the last `windowMs`: the newest answers gauges, the newest against the oldest answers
 * what a counter or histogram did within the window (PromQL's `increase` over the window, roughly).
 */
export class ScrapeHistory {
  private readonly scrapes = new Map<string, Scrape[]>();

  constructor(private readonly windowMs: number) {}

  add(scrape: Scrape): void {
    const kept = (this.scrapes.get(scrape.target) ?? []).filter((s) => s.at >= scrape.at - this.windowMs);
    kept.push(scrape);
    this.scrapes.set(scrape.target, kept);
  }

  targets(): string[] {
    return [...this.scrapes.keys()];
  }

  latest(target: string): Scrape | undefined {
    return this.scrapes.get(target)?.at(-1);
  }

  oldest(target: string): Scrape | undefined {
    return this.scrapes.get(target)?.[0];
  }
}

/** The samples of one metric whose labels include every pair of `match`. */
export function samplesOf(samples: readonly Sample[], name: string, match: Labels = {}): Sample[] {
  return samples.filter(
    (sample) =>
      sample.name === name && Object.entries(match).every(([label, value]) => sample.labels[label] === value),
  );
}

/** A series' identity: its labels in a fixed order. */
export function seriesKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((label) => `${label}=${labels[label] ?? ''}`)
    .join(',');
}

/**
 * How much each series of a counter grew between two scrapes. A series that went down was reset (its process
 * restarted) and counts from zero; one that is new counts in full only when the window has an older scrape to
 * compare with (then it appeared within the window).
 */
export function increases(
  newest: readonly Sample[],
  oldest: readonly Sample[] | undefined,
  name: string,
  match: Labels = {},
): Array<{ readonly labels: Labels; readonly increase: number }> {
  const before = new Map(samplesOf(oldest ?? [], name, match).map((s) => [seriesKey(s.labels), s.value]));
  return samplesOf(newest, name, match).map((sample) => {
    const previous = before.get(seriesKey(sample.labels));
    if (oldest === undefined) return { labels: sample.labels, increase: 0 };
    if (previous === undefined || sample.value < previous)
      return { labels: sample.labels, increase: sample.value };
    return { labels: sample.labels, increase: sample.value - previous };
  });
}

/** Sums values by one label (series without the label are summed under ''). */
export function sumBy(
  rows: ReadonlyArray<{ readonly labels: Labels; readonly value: number }>,
  label: string,
): Map<string, number> {
  const sums = new Map<string, number>();
  for (const row of rows) {
    const key = row.labels[label] ?? '';
    sums.set(key, (sums.get(key) ?? 0) + row.value);
  }
  return sums;
}
