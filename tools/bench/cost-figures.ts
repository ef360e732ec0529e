/**
 * Pure arithmetic of the bench's cost figures: CPU deltas between two /proc readings, per bet and per core,
 * commits per bet, and the table they are printed as. No I/O: unit-tested.
 */

/** What one process (or group of processes) has used so far, in clock ticks. */
export type CpuReading =
  /** A cumulative counter: one process (identity = pid@starttime), or a server whose exited children fold into it. */
  | {
      readonly kind: 'counter';
      readonly ticks: number;
      readonly identity?: string;
      readonly peakRssKb?: number;
    }
  /** A set of processes by identity: a process present only in the later reading counts from 0. */
  | { readonly kind: 'parts'; readonly parts: ReadonlyMap<string, number>; readonly peakRssKb?: number }
  | { readonly kind: 'missing'; readonly why: string };

export type TicksDelta =
  | {
      readonly ok: true;
      readonly ticks: number;
      /** Parts of the earlier reading absent from the later one (their CPU after the first reading is not in ticks). */
      readonly gone: number;
      readonly peakRssKb?: number;
    }
  | { readonly ok: false; readonly why: string };

export function ticksDelta(before: CpuReading, after: CpuReading): TicksDelta {
  if (before.kind === 'missing') return { ok: false, why: before.why };
  if (after.kind === 'missing') return { ok: false, why: `${after.why} at the end of the window` };
  if (before.kind === 'counter' && after.kind === 'counter') {
    if (before.identity !== after.identity)
      return { ok: false, why: `restarted during the window (${before.identity} → ${after.identity})` };
    if (after.ticks < before.ticks) return { ok: false, why: 'its counter went backwards' };
    return { ok: true, ticks: after.ticks - before.ticks, gone: 0, peakRssKb: after.peakRssKb };
  }
  if (before.kind === 'parts' && after.kind === 'parts') {
    let ticks = 0;
    for (const [identity, value] of after.parts)
      ticks += Math.max(0, value - (before.parts.get(identity) ?? 0));
    const gone = [...before.parts.keys()].filter((identity) => !after.parts.has(identity)).length;
    return { ok: true, ticks, gone, peakRssKb: after.peakRssKb };
  }
  return { ok: false, why: 'readings of different kinds' };
}

/** `whole − part` (a server's CPU besides the share attributed to some of its processes). */
export function remainder(whole: TicksDelta, part: TicksDelta): TicksDelta {
  if (!whole.ok) return whole;
  if (!part.ok) return { ok: false, why: `the part is n/a: ${part.why}` };
  return { ok: true, ticks: Math.max(0, whole.ticks - part.ticks), gone: 0, peakRssKb: whole.peakRssKb };
}

export interface CostWindow {
  readonly ms: number;
  /** Bets completed in the window; undefined for a window without traffic (idle). */
  readonly bets?: number;
  readonly ticksPerSecond: number;
}

export function cpuMsPerBet(ticks: number, window: CostWindow): number | undefined {
  if (window.bets === undefined || window.bets <= 0) return undefined;
  return ((ticks / window.ticksPerSecond) * 1_000) / window.bets;
}

/** Share of ONE core over the window, in % (200 % = two cores busy the whole time). */
export function corePercent(ticks: number, window: CostWindow): number | undefined {
  if (window.ms <= 0) return undefined;
  return (ticks / window.ticksPerSecond / (window.ms / 1_000)) * 100;
}

/** Database transactions (commits + rollbacks) per bet; undefined without bets. */
export function commitsPerBet(before: number, after: number, bets: number): number | undefined {
  return bets > 0 ? (after - before) / bets : undefined;
}

/** (bets/s × commits per bet) ÷ the box's commits/s: the share of the database's ceiling the fleet uses. */
export function ceilingShare(
  betsPerSecond: number,
  perBet: number | undefined,
  ceiling: number | undefined,
): number | undefined {
  if (perBet === undefined || ceiling === undefined || ceiling <= 0) return undefined;
  return (betsPerSecond * perBet) / ceiling;
}

export interface CostRow {
  readonly label: string;
  readonly delta: TicksDelta;
  /** Labels of the totals this row is summed into (none: counted apart, like the bench client). */
  readonly totals: readonly string[];
}

const mib = (kb: number | undefined) => (kb === undefined ? 'n/a' : `${(kb / 1_024).toFixed(0)} MiB`);

/**
 * The per-process table: label, CPU ms per bet (with bets), % of one core over the window, peak RSS; then each
 * total (rows n/a are named under it, never dropped silently), with its CPU ms per bet.
 */
export function formatCostTable(
  rows: readonly CostRow[],
  totals: readonly string[],
  window: CostWindow,
): string[] {
  const perBet = window.bets !== undefined;
  const width = Math.max(44, ...rows.map((row) => row.label.length + 2), ...totals.map((t) => t.length + 2));
  const cell = (value: string, size: number) => value.padStart(size);
  const figures = (ticks: number) =>
    (perBet ? cell(fixed(cpuMsPerBet(ticks, window), 2), 11) : '') +
    cell(`${fixed(corePercent(ticks, window), 1)} %`, 13);
  const header =
    'process'.padEnd(width) +
    (perBet ? cell('CPU ms/bet', 11) : '') +
    cell('% of a core', 13) +
    cell('peak RSS', 11);
  const lines = [header];
  for (const row of rows) {
    lines.push(
      row.delta.ok
        ? row.label.padEnd(width) + figures(row.delta.ticks) + cell(mib(row.delta.peakRssKb), 11)
        : `${row.label.padEnd(width)}${cell('n/a', perBet ? 11 : 13)}  (${row.delta.why})`,
    );
  }
  for (const total of totals) {
    const { ticks, missing } = totalTicks(rows, total);
    lines.push(
      total.padEnd(width) +
        figures(ticks) +
        (missing.length > 0 ? `  (without n/a: ${missing.join(', ')})` : ''),
    );
  }
  return lines;
}

/** A total's ticks over the rows summed into it, and the labels of those rows that are n/a. */
export function totalTicks(rows: readonly CostRow[], total: string): { ticks: number; missing: string[] } {
  const members = rows.filter((row) => row.totals.includes(total));
  return {
    ticks: members.reduce((sum, row) => sum + (row.delta.ok ? row.delta.ticks : 0), 0),
    missing: members.filter((row) => !row.delta.ok).map((row) => row.label),
  };
}

export function fixed(value: number | undefined, digits: number): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);
}

/** One row (or total) of the table as a JSON object: CPU ms per unit of work, % of one core, peak RSS. */
export interface CostJson {
  readonly process: string;
  readonly cpu_ms_per_unit: number | null;
  readonly core_pct: number | null;
  readonly peak_rss_mib: number | null;
  readonly na?: string;
}

/** The table's rows and totals as JSON objects (for the benches that print JSON lines). */
export function costTableJson(
  rows: readonly CostRow[],
  totals: readonly string[],
  window: CostWindow,
): CostJson[] {
  const round = (value: number | undefined, digits: number) =>
    value === undefined || !Number.isFinite(value) ? null : Number(value.toFixed(digits));
  const figures = (ticks: number) => ({
    cpu_ms_per_unit: round(cpuMsPerBet(ticks, window), 2),
    core_pct: round(corePercent(ticks, window), 1),
  });
  const json: CostJson[] = rows.map((row) =>
    row.delta.ok
      ? {
          process: row.label,
          ...figures(row.delta.ticks),
          peak_rss_mib: row.delta.peakRssKb === undefined ? null : Math.round(row.delta.peakRssKb / 1_024),
        }
      : { process: row.label, cpu_ms_per_unit: null, core_pct: null, peak_rss_mib: null, na: row.delta.why },
  );
  for (const total of totals) {
    const { ticks, missing } = totalTicks(rows, total);
    json.push({
      process: total,
      ...figures(ticks),
      peak_rss_mib: null,
      ...(missing.length > 0 ? { na: `without n/a: ${missing.join(', ')}` } : {}),
    });
  }
  return json;
}
