import { parsePgbenchTps, pgbenchArgs, pgbenchSettings } from './pgbench-ceiling';

describe(parsePgbenchTps.name, () => {
  it("reads the tps line of pgbench 15's report", () => {
    const output = [
      'number of transactions actually processed: 36007',
      'number of failed transactions: 0 (0.000%)',
      'latency average = 1.333 ms',
      'initial connection time = 33.272 ms',
      'tps = 12000.933224 (without initial connection time)',
    ].join('\n');
    expect(parsePgbenchTps(output)).toBeCloseTo(12_000.933224);
  });

  it('is undefined when pgbench printed no figure (it failed)', () => {
    expect(parsePgbenchTps('pgbench: error: connection to server failed')).toBeUndefined();
  });
});

describe(pgbenchArgs.name, () => {
  it('runs the script without vacuum, with the clients, threads and seconds given, on the URL', () => {
    expect(
      pgbenchArgs('/tmp/x.sql', { seconds: 10, clients: 16, jobs: 2 }, 'postgres://p@h:5432/db'),
    ).toEqual(['-n', '-f', '/tmp/x.sql', '-c', '16', '-j', '2', '-T', '10', 'postgres://p@h:5432/db']);
  });
});

describe(pgbenchSettings.name, () => {
  it('is 16 clients, 2 threads, 10 s by default; BENCH_PGBENCH_S overrides the seconds, 0 skips', () => {
    expect(pgbenchSettings({})).toEqual({ seconds: 10, clients: 16, jobs: 2 });
    expect(pgbenchSettings({ BENCH_PGBENCH_S: '3' }).seconds).toBe(3);
    expect(pgbenchSettings({ BENCH_PGBENCH_S: '0' }).seconds).toBe(0);
  });

  it('refuses what is not a whole number of seconds', () => {
    expect(() => pgbenchSettings({ BENCH_PGBENCH_S: '-1' })).toThrow(/BENCH_PGBENCH_S/);
    expect(() => pgbenchSettings({ BENCH_PGBENCH_S: 'ten' })).toThrow(/BENCH_PGBENCH_S/);
  });
});
