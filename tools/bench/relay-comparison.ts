import { formatLatencies } from '../demo/latency-stats';
import { fixed, type TicksDelta } from './cost-figures';

/** What one side of `bench:relay` measured (our outbox-relay, or Debezium), ready to print. */
export interface SideFigures {
  readonly label: string;
  readonly appended: number;
  readonly unique: number;
  readonly duplicates: number;
  readonly missing: number;
  readonly appendMs: number;
  /** First append → last expected event received. */
  readonly drainMs: number;
  /** Consumer receive − occurred_at of each first delivery, ms. */
  readonly latenciesMs: readonly number[];
  /** The same for the events appended in the second half of the append phase (the relayer warm). */
  readonly laterLatenciesMs: readonly number[];
  /** Relayer spawn → ready (relay: source active; Debezium: slot active), outside the drain. */
  readonly startMs: number;
  /** Transactions of the bench database (pg_stat_database) from the first append to ~1 s after the last event
   * received, read once the writers' pool has closed so that their counts are in. */
  readonly transactions: { readonly commits: number; readonly rollbacks: number } | undefined;
  /** Cost window (first append → last event received), ms. */
  readonly windowMs: number;
  readonly ticksPerSecond: number;
  /** One entry per cost row, in the same order on every side (see COST_ROWS). */
  readonly cpu: ReadonlyMap<CostRowName, TicksDelta>;
}

/** The processes measured on each side; `postgres` is the whole bench server (writers' backends included). */
export const COST_ROWS = ['relayer', 'relayer backends', 'kafka', 'postgres'] as const;
export type CostRowName = (typeof COST_ROWS)[number];

const ROW_LABELS: Record<CostRowName, string> = {
  relayer: 'relayer process (Node / JVM)',
  'relayer backends': '  its Postgres backends',
  kafka: 'Kafka broker (shared)',
  postgres: 'Postgres, whole bench server',
};

/** CPU ms per 1,000 events received; undefined when nothing arrived. */
export function cpuMsPerThousand(ticks: number, ticksPerSecond: number, events: number): number | undefined {
  if (events <= 0) return undefined;
  return ((ticks / ticksPerSecond) * 1_000 * 1_000) / events;
}

export function perThousand(count: number | undefined, events: number): number | undefined {
  return count === undefined || events <= 0 ? undefined : (count * 1_000) / events;
}

export function eventsPerSecond(events: number, ms: number): number | undefined {
  return ms > 0 ? (events / ms) * 1_000 : undefined;
}

/**
 * The figures of every side in columns, one line per figure: the comparison the issue asks for, for the live
 * phase (latencies) or the backlog drain (capacity). The relayer backends are part of the whole server's row, so
 * the total adds relayer, Kafka and the whole server only.
 */
export function formatSideBySide(
  sides: readonly SideFigures[],
  phase: 'live' | 'backlog' = 'live',
): string[] {
  const live: Array<[string, (side: SideFigures) => string]> = [
    ['relayer start (apart)', (s) => `${(s.startMs / 1_000).toFixed(1)} s`],
    ['events appended', (s) => String(s.appended)],
    ['append throughput', (s) => rate(s.appended, s.appendMs)],
    ['drained (append → received)', (s) => rate(s.unique, s.drainMs)],
    ['commit→Kafka p50', (s) => latency(s, 50)],
    ['commit→Kafka p95', (s) => latency(s, 95)],
    ['commit→Kafka p99', (s) => latency(s, 99)],
    ['commit→Kafka max', (s) => latency(s, 100)],
    ['  p99, 2nd half of appends', (s) => latency(s, 99, s.laterLatenciesMs)],
  ];
  const backlog: Array<[string, (side: SideFigures) => string]> = [
    ['relayer restart (apart)', (s) => `${(s.startMs / 1_000).toFixed(1)} s`],
    ['events waiting', (s) => String(s.appended)],
    ['drained (first → last received)', (s) => rate(s.unique, s.drainMs)],
  ];
  const rows: Array<[string, (side: SideFigures) => string]> = [
    ...(phase === 'live' ? live : backlog),
    ['missing', (s) => String(s.missing)],
    ['duplicated', (s) => String(s.duplicates)],
    ['commits per 1,000 events', (s) => fixed(perThousand(s.transactions?.commits, s.unique), 0)],
    ['rollbacks per 1,000 events', (s) => fixed(perThousand(s.transactions?.rollbacks, s.unique), 0)],
    ...COST_ROWS.map((row): [string, (side: SideFigures) => string] => [
      `CPU ms/1k events: ${ROW_LABELS[row]}`,
      (s) => cpuCell(s, row),
    ]),
    ['CPU ms/1k events: total', (s) => totalCell(s)],
    ...(['relayer', 'kafka', 'postgres'] as const).map((row): [string, (side: SideFigures) => string] => [
      `peak RSS: ${ROW_LABELS[row]}`,
      (s) => rssCell(s, row),
    ]),
    ['cost window', (s) => `${(s.windowMs / 1_000).toFixed(2)} s`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const column = Math.max(18, ...sides.map((side) => side.label.length + 2));
  const line = (label: string, cells: readonly string[]) =>
    label.padEnd(width) + cells.map((cell) => cell.padStart(column)).join('');
  return [
    line(
      '',
      sides.map((side) => side.label),
    ),
    ...rows.map(([label, cell]) => line(label, sides.map(cell))),
  ];
}

function rate(events: number, ms: number): string {
  const value = eventsPerSecond(events, ms);
  return value === undefined ? 'n/a' : `${Math.round(value).toLocaleString('en-US')}/s`;
}

function latency(side: SideFigures, p: number, samples = side.latenciesMs): string {
  if (samples.length === 0) return 'n/a';
  return formatLatencies(samples, [p]).replace(/^p\d+ /, '');
}

function cpuCell(side: SideFigures, row: CostRowName): string {
  const delta = side.cpu.get(row);
  if (!delta?.ok) return 'n/a';
  return fixed(cpuMsPerThousand(delta.ticks, side.ticksPerSecond, side.unique), 0);
}

function totalCell(side: SideFigures): string {
  const parts = (['relayer', 'kafka', 'postgres'] as const).map((row) => side.cpu.get(row));
  if (parts.some((delta) => !delta?.ok)) return 'n/a';
  const ticks = parts.reduce((sum, delta) => sum + (delta?.ok ? delta.ticks : 0), 0);
  return fixed(cpuMsPerThousand(ticks, side.ticksPerSecond, side.unique), 0);
}

function rssCell(side: SideFigures, row: CostRowName): string {
  const delta = side.cpu.get(row);
  return delta?.ok && delta.peakRssKb !== undefined ? `${Math.round(delta.peakRssKb / 1_024)} MiB` : 'n/a';
}

/** Why a cost row is n/a, per side, so no figure goes missing silently. */
export function unavailableRows(sides: readonly SideFigures[], phase = 'live'): string[] {
  return sides.flatMap((side) =>
    COST_ROWS.flatMap((row) => {
      const delta = side.cpu.get(row);
      return delta && !delta.ok
        ? [`${side.label} (${phase}): ${ROW_LABELS[row].trim()} n/a (${delta.why})`]
        : [];
    }),
  );
}
