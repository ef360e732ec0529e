import {
  ceilingShare,
  commitsPerBet,
  corePercent,
  type CostRow,
  costTableJson,
  cpuMsPerBet,
  type CpuReading,
  formatCostTable,
  remainder,
  ticksDelta,
  totalTicks,
} from './cost-figures';

const counter = (ticks: number, identity = '10@500', peakRssKb?: number): CpuReading => ({
  kind: 'counter',
  ticks,
  identity,
  peakRssKb,
});
const parts = (entries: Array<[string, number]>): CpuReading => ({ kind: 'parts', parts: new Map(entries) });

describe(ticksDelta.name, () => {
  it('is the counter difference for the same process, with the later peak RSS', () => {
    expect(ticksDelta(counter(100), counter(350, '10@500', 2_048))).toEqual({
      ok: true,
      ticks: 250,
      gone: 0,
      peakRssKb: 2_048,
    });
  });

  it('is n/a, saying why, when the process restarted (same pid, another start time) or is missing', () => {
    expect(ticksDelta(counter(100), counter(5, '10@900'))).toMatchObject({ ok: false, why: /restarted/ });
    expect(ticksDelta({ kind: 'missing', why: 'not running' }, counter(5))).toEqual({
      ok: false,
      why: 'not running',
    });
    expect(ticksDelta(counter(5), { kind: 'missing', why: 'gone' })).toMatchObject({
      ok: false,
      why: /gone/,
    });
  });

  it('counts a part born in the window from zero and tells how many parts left it', () => {
    const before = parts([
      ['1@1', 50],
      ['2@1', 70],
    ]);
    const after = parts([
      ['1@1', 80],
      ['3@9', 15],
    ]);
    expect(ticksDelta(before, after)).toEqual({ ok: true, ticks: 30 + 15, gone: 1, peakRssKb: undefined });
  });

  it('treats a reused pid with another start time as another process', () => {
    expect(ticksDelta(parts([['1@1', 50]]), parts([['1@7', 20]]))).toMatchObject({ ticks: 20, gone: 1 });
  });
});

describe(remainder.name, () => {
  it('is the whole minus the part, never negative', () => {
    const whole = { ok: true as const, ticks: 100, gone: 0 };
    expect(remainder(whole, { ok: true, ticks: 30, gone: 2 })).toMatchObject({ ticks: 70 });
    expect(remainder(whole, { ok: true, ticks: 130, gone: 0 })).toMatchObject({ ticks: 0 });
    expect(remainder(whole, { ok: false, why: 'x' })).toMatchObject({ ok: false });
  });
});

describe('per bet and per core', () => {
  const window = { ms: 30_000, bets: 1_500, ticksPerSecond: 100 };

  it('turns ticks into CPU ms per bet and % of one core over the window', () => {
    // 600 ticks = 6 s of CPU: 4 ms per bet, 20 % of one core over 30 s.
    expect(cpuMsPerBet(600, window)).toBeCloseTo(4);
    expect(corePercent(600, window)).toBeCloseTo(20);
    expect(corePercent(12_000, { ...window, ticksPerSecond: 200 })).toBeCloseTo(200);
  });

  it('has no per-bet figure without bets (idle) or a zero-length window', () => {
    expect(cpuMsPerBet(600, { ms: 10_000, ticksPerSecond: 100 })).toBeUndefined();
    expect(cpuMsPerBet(600, { ...window, bets: 0 })).toBeUndefined();
    expect(corePercent(600, { ...window, ms: 0 })).toBeUndefined();
  });

  it('computes commits per bet from the counter delta, and the share of the ceiling', () => {
    expect(commitsPerBet(10_000, 22_000, 1_500)).toBe(8);
    expect(commitsPerBet(1, 2, 0)).toBeUndefined();
    expect(ceilingShare(50, 8, 6_400)).toBeCloseTo(0.0625);
    expect(ceilingShare(50, undefined, 6_400)).toBeUndefined();
    expect(ceilingShare(50, 8, undefined)).toBeUndefined();
  });
});

describe(formatCostTable.name, () => {
  const rows: CostRow[] = [
    { label: 'kafka', delta: { ok: true, ticks: 300, gone: 0, peakRssKb: 512_000 }, totals: ['all', 'some'] },
    { label: 'postgres rest', delta: { ok: true, ticks: 100, gone: 0 }, totals: ['all'] },
    { label: 'registry', delta: { ok: false, why: 'no live pid' }, totals: ['all', 'some'] },
    { label: 'bench client', delta: { ok: true, ticks: 900, gone: 0 }, totals: [] },
  ];

  it('sums each total over its rows only (the bench client apart) and names the n/a rows', () => {
    expect(totalTicks(rows, 'all')).toEqual({ ticks: 400, missing: ['registry'] });
    expect(totalTicks(rows, 'some')).toEqual({ ticks: 300, missing: ['registry'] });
  });

  it('prints every row, n/a with its reason, then the totals', () => {
    const lines = formatCostTable(rows, ['all', 'some'], { ms: 10_000, bets: 100, ticksPerSecond: 100 });
    expect(lines).toHaveLength(1 + rows.length + 2);
    expect(lines[0]).toMatch(/process\s+CPU ms\/bet\s+% of a core\s+peak RSS/);
    expect(lines[1]).toMatch(/^kafka\s+30\.00\s+30\.0 %\s+500 MiB$/);
    expect(lines[3]).toMatch(/^registry\s+n\/a\s+\(no live pid\)$/);
    expect(lines[5]).toMatch(/^all\s+40\.00\s+40\.0 %\s+\(without n\/a: registry\)$/);
  });

  it('leaves the per-bet column out of an idle window', () => {
    const lines = formatCostTable(rows, ['all'], { ms: 10_000, ticksPerSecond: 100 });
    expect(lines[0]).not.toMatch(/ms\/bet/);
    expect(lines[1]).toMatch(/^kafka\s+30\.0 %\s+500 MiB$/);
  });
});

describe(costTableJson.name, () => {
  it('gives each row and total as JSON: CPU ms per unit, % of a core, peak RSS; n/a rows say why', () => {
    const rows: CostRow[] = [
      { label: 'svc', delta: { ok: true, ticks: 50, gone: 0, peakRssKb: 2_048 }, totals: ['all'] },
      { label: 'gone', delta: { ok: false, why: 'not running' }, totals: ['all'] },
    ];
    expect(costTableJson(rows, ['all'], { ms: 10_000, bets: 100, ticksPerSecond: 100 })).toEqual([
      { process: 'svc', cpu_ms_per_unit: 5, core_pct: 5, peak_rss_mib: 2 },
      { process: 'gone', cpu_ms_per_unit: null, core_pct: null, peak_rss_mib: null, na: 'not running' },
      { process: 'all', cpu_ms_per_unit: 5, core_pct: 5, peak_rss_mib: null, na: 'without n/a: gone' },
    ]);
  });
});
