import { type Client } from 'pg';

import { type CpuReading } from './cost-figures';
import { commitFigures, type CostSample, FleetCost, TOTAL_FLEET, TOTAL_SERVER } from './fleet-cost';
import { type WatchedProcess } from './watched-processes';

const counter = (ticks: number, identity: string): CpuReading => ({ kind: 'counter', ticks, identity });
const watched = (label: string): WatchedProcess => ({
  label,
  pid: 1,
  read: () => ({ kind: 'missing', why: 'not read in this test' }),
});

function sample(
  at: number,
  ticks: number,
  transactions: number,
  fleetParts: Array<[string, number]>,
  jitTicks?: number,
): CostSample {
  return {
    at,
    processes: [counter(ticks, '1@1')],
    jit: [jitTicks === undefined ? undefined : { kind: 'parts', parts: new Map([['7@1', jitTicks]]) }],
    bench: counter(ticks * 2, '2@1'),
    postgres: {
      server: counter(ticks * 10, '3@1'),
      fleet: { kind: 'parts', parts: new Map(fleetParts) },
      otherClients: 1,
    },
    commits: { database: 'pitboss', transactions },
    machine: { busy: ticks * 20, total: ticks * 40 },
  };
}

const cost = new FleetCost(
  [watched('gateway (pid 1)')],
  watched('bench client'),
  { pid: 3, port: 5432 },
  {} as Client,
  100,
);

describe(FleetCost.name, () => {
  const before = sample(0, 100, 1_000, [
    ['10@1', 50],
    ['11@1', 40],
  ]);
  const after = sample(10_000, 300, 5_000, [
    ['10@1', 450],
    ['12@5', 100],
  ]);

  it("splits Postgres into the fleet's backends and the rest of the server, the bench apart", () => {
    const rows = cost.rows(before, after);
    expect(
      rows.map((row) => [row.label, row.delta.ok ? row.delta.ticks : row.delta.why, row.totals]),
    ).toEqual([
      ['gateway (pid 1)', 200, [TOTAL_SERVER, TOTAL_FLEET]],
      // 400 of a backend still open + 100 of one opened in the window; the one that closed is in the rest.
      ["postgres: the fleet's backends (1 closed: next row)", 500, [TOTAL_SERVER, TOTAL_FLEET]],
      ['postgres: the rest (background, 1 other clients)', 2_000 - 500, [TOTAL_SERVER]],
      ['bench client', 400, []],
    ]);
  });

  it('prints the table with both totals and the machine line', () => {
    const lines = cost.report(before, after, 100);
    expect(lines.find((line) => line.includes(TOTAL_SERVER))).toMatch(/220\.00\s+220\.0 %/);
    expect(lines.find((line) => line.includes(TOTAL_FLEET))).toMatch(/70\.00\s+70\.0 %/);
    // busy 4000 ticks over 10 s = 400 %; rows 200 + 500 + 1500 + 400 = 2600 ticks = 260 %.
    expect(lines.at(-1)).toMatch(/machine: 400 % .* the rows above 260 %, everything else 140 %/);
    expect(lines.at(-2)).toBe('  JIT compiler threads (C1/C2) inside the JVM rows: no JVM watched');
  });

  it("prints a JVM's JIT compiler threads per bet and as a share of its row", () => {
    const jvm = new FleetCost(
      [watched('kafka (pid 1, .stack/kafka/kafka.pid)')],
      watched('bench'),
      { why: 'x' },
      {} as Client,
      100,
    );
    // 50 of the row's 200 ticks: 0.5 s over 100 bets.
    const lines = jvm.report(sample(0, 100, 0, [], 30), sample(10_000, 300, 0, [], 80), 100);
    expect(lines.at(-2)).toBe(
      '  JIT compiler threads (C1/C2) inside the JVM rows: kafka 5.00 ms/bet (25 % of its row)',
    );
  });

  it('prints the Postgres rows as n/a with the reason when the server could not be read', () => {
    const unread = { ...after, postgres: { why: 'Postgres at db.example is not on this machine' } };
    const row = cost.rows(before, unread).find((candidate) => candidate.label === 'postgres');
    expect(row?.delta).toEqual({ ok: false, why: 'Postgres at db.example is not on this machine' });
  });
});

describe(commitFigures.name, () => {
  it('gives transactions per bet and per second, naming the database', () => {
    const figures = commitFigures(sample(0, 1, 1_000, []), sample(20_000, 1, 9_000, []), 200);
    expect(figures.perBet).toBe(40);
    expect(figures.line).toMatch(/^8000 transactions in 20\.0 s, 400\/s .*"pitboss"/);
  });

  it('has no per-bet figure for an idle window, and n/a when a reading failed', () => {
    expect(commitFigures(sample(0, 1, 1, []), sample(1_000, 1, 5, []), undefined).perBet).toBeUndefined();
    const failed = { ...sample(1_000, 1, 5, []), commits: { why: 'connection lost' } };
    expect(commitFigures(sample(0, 1, 1, []), failed, 10)).toEqual({
      perBet: undefined,
      line: 'n/a (connection lost)',
    });
  });
});
