import { type Client } from 'pg';

import {
  commitsPerBet,
  corePercent,
  cpuMsPerBet,
  type CostRow,
  type CostWindow,
  type CpuReading,
  fixed,
  formatCostTable,
  remainder,
  ticksDelta,
} from './cost-figures';
import { readPostgresCpu, type PostgresCpu } from './postgres-cpu';
import { type CommitCount, readCommits } from './postgres-commits';
import { clockTicksPerSecond, readMachineCpu } from './process-cpu';
import {
  benchClient,
  findPostmaster,
  fleetProcesses,
  stackProcesses,
  type WatchedProcess,
} from './watched-processes';

export interface CostSample {
  readonly at: number;
  readonly processes: readonly CpuReading[];
  /** Each process's JIT compiler threads (undefined: not a JVM), in the order of `processes`. */
  readonly jit: readonly (CpuReading | undefined)[];
  readonly bench: CpuReading;
  readonly postgres: PostgresCpu | { readonly why: string };
  readonly commits: CommitCount | { readonly why: string };
  readonly machine: { busy: number; total: number } | undefined;
}

export const TOTAL_SERVER = 'total, whole Postgres server (bench client apart)';
export const TOTAL_FLEET = "total, Postgres = the fleet's backends only";

/**
 * Everything the cost figures need, read at one instant: every watched process from /proc, the Postgres
 * server (whole, and the fleet's backends), the database's transaction counter, the machine's busy time.
 */
export class FleetCost {
  constructor(
    private readonly processes: readonly WatchedProcess[],
    private readonly bench: WatchedProcess,
    private readonly postgres: { pid: number; port: number } | { why: string },
    private readonly db: Client,
    readonly ticksPerSecond: number,
  ) {}

  async sample(): Promise<CostSample> {
    const at = Date.now();
    const fleetPids = new Set(this.processes.flatMap(({ pid }) => (pid === undefined ? [] : [pid])));
    const postgres =
      'why' in this.postgres
        ? this.postgres
        : await readPostgresCpu(this.postgres.pid, this.postgres.port, this.db, fleetPids).catch(
            (error: unknown) => ({ why: `reading it failed: ${String(error)}` }),
          );
    const commits = await readCommits(this.db).catch((error: unknown) => ({ why: String(error) }));
    return {
      at,
      processes: this.processes.map((watched) => watched.read()),
      jit: this.processes.map((watched) => watched.readJit?.()),
      bench: this.bench.read(),
      postgres,
      commits,
      machine: readMachineCpu(),
    };
  }

  /** The table's rows between two samples: stack and fleet processes, Postgres split in two, the bench apart. */
  rows(before: CostSample, after: CostSample): CostRow[] {
    const both = [TOTAL_SERVER, TOTAL_FLEET];
    const rows: CostRow[] = this.processes.map((watched, index) => ({
      label: watched.label,
      delta: ticksDelta(before.processes[index]!, after.processes[index]!),
      totals: both,
    }));
    if ('why' in before.postgres || 'why' in after.postgres) {
      const why = 'why' in before.postgres ? before.postgres.why : (after.postgres as { why: string }).why;
      rows.push({ label: 'postgres', delta: { ok: false, why }, totals: both });
    } else {
      const server = ticksDelta(before.postgres.server, after.postgres.server);
      const fleet = ticksDelta(before.postgres.fleet, after.postgres.fleet);
      const closed = fleet.ok && fleet.gone > 0 ? ` (${fleet.gone} closed: next row)` : '';
      const others = Math.max(before.postgres.otherClients, after.postgres.otherClients);
      rows.push(
        { label: `postgres: the fleet's backends${closed}`, delta: fleet, totals: both },
        {
          label: `postgres: the rest (background, ${others} other clients)`,
          delta: remainder(server, fleet),
          totals: [TOTAL_SERVER],
        },
      );
    }
    rows.push({ label: this.bench.label, delta: ticksDelta(before.bench, after.bench), totals: [] });
    return rows;
  }

  /** The table and the lines under it for one window (bets undefined: idle). */
  report(before: CostSample, after: CostSample, bets: number | undefined): string[] {
    const window: CostWindow = { ms: after.at - before.at, bets, ticksPerSecond: this.ticksPerSecond };
    const rows = this.rows(before, after);
    const lines = formatCostTable(rows, [TOTAL_SERVER, TOTAL_FLEET], window).map((line) => `  ${line}`);
    lines.push(`  ${this.jitLine(before, after, window)}`);
    lines.push(`  ${this.machineLine(before, after, rows, window)}`);
    return lines;
  }

  /**
   * How much of each JVM's row was its JIT compiling: a window with a large share measures a JVM still warming
   * up (bench:gateway's warm-up is there for that), not its steady cost.
   */
  private jitLine(before: CostSample, after: CostSample, window: CostWindow): string {
    const parts = this.processes.flatMap((watched, index) => {
      const jit = before.jit[index];
      const later = after.jit[index];
      if (jit === undefined || later === undefined) return [];
      const name = watched.label.replace(/ \(pid .*$/, '');
      const compiled = ticksDelta(jit, later);
      const whole = ticksDelta(before.processes[index]!, after.processes[index]!);
      if (!compiled.ok || !whole.ok) return [`${name} n/a`];
      const figure =
        window.bets === undefined
          ? `${fixed(corePercent(compiled.ticks, window), 1)} % of a core`
          : `${fixed(cpuMsPerBet(compiled.ticks, window), 2)} ms/bet`;
      const share =
        whole.ticks > 0 ? ` (${((compiled.ticks / whole.ticks) * 100).toFixed(0)} % of its row)` : '';
      return [`${name} ${figure}${share}`];
    });
    return `JIT compiler threads (C1/C2) inside the JVM rows: ${parts.join(', ') || 'no JVM watched'}`;
  }

  /** How busy the whole machine was: what is not in the rows is someone else's (other engineers' test suites…). */
  private machineLine(before: CostSample, after: CostSample, rows: CostRow[], window: CostWindow): string {
    if (before.machine === undefined || after.machine === undefined)
      return 'machine: /proc/stat not readable';
    const busy = after.machine.busy - before.machine.busy;
    const ours = rows.reduce((sum, row) => sum + (row.delta.ok ? row.delta.ticks : 0), 0);
    return (
      `machine: ${fixed(corePercent(busy, window), 0)} % of one core busy over the window (all processes, ` +
      `/proc/stat); the rows above ${fixed(corePercent(ours, window), 0)} %, everything else ` +
      `${fixed(corePercent(Math.max(0, busy - ours), window), 0)} %`
    );
  }
}

/**
 * The cost of a fleet the bench started (name and pid of each process): the stack's processes (Kafka, registry,
 * Redis), the fleet's, the Postgres server serving `databaseUrl` split by the fleet's backends, the bench apart.
 */
export function fleetCostOf(
  processes: ReadonlyArray<{ readonly name: string; readonly pid: number | undefined }>,
  db: Client,
  databaseUrl: string,
): FleetCost {
  const postmaster = findPostmaster(databaseUrl);
  const port = Number(new URL(databaseUrl).port || 5432);
  return new FleetCost(
    [...stackProcesses(), ...fleetProcesses(processes)],
    benchClient(),
    'why' in postmaster ? postmaster : { pid: postmaster.pid, port },
    db,
    clockTicksPerSecond(),
  );
}

/** `n transactions`, per bet and per second, between two samples; with the database's name. */
export function commitFigures(
  before: CostSample,
  after: CostSample,
  bets: number | undefined,
): { perBet: number | undefined; line: string } {
  if ('why' in before.commits || 'why' in after.commits) {
    const why = 'why' in before.commits ? before.commits.why : (after.commits as { why: string }).why;
    return { perBet: undefined, line: `n/a (${why})` };
  }
  const count = after.commits.transactions - before.commits.transactions;
  const seconds = (after.at - before.at) / 1_000;
  const perBet =
    bets === undefined
      ? undefined
      : commitsPerBet(before.commits.transactions, after.commits.transactions, bets);
  return {
    perBet,
    line:
      `${count} transactions in ${seconds.toFixed(1)} s, ${fixed(count / seconds, 0)}/s (xact_commit + ` +
      `xact_rollback of pg_stat_database "${after.commits.database}": every client of that database)`,
  };
}
