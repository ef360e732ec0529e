import { type TicksDelta } from './cost-figures';
import {
  cpuMsPerThousand,
  eventsPerSecond,
  formatSideBySide,
  perThousand,
  type CostRowName,
  type SideFigures,
  unavailableRows,
} from './relay-comparison';

const ok = (ticks: number, peakRssKb?: number): TicksDelta => ({ ok: true, ticks, gone: 0, peakRssKb });

function side(overrides: Partial<SideFigures> = {}): SideFigures {
  return {
    label: 'outbox-relay',
    appended: 2_000,
    unique: 2_000,
    duplicates: 0,
    missing: 0,
    appendMs: 4_000,
    drainMs: 4_000,
    latenciesMs: Array.from({ length: 100 }, (_, index) => index + 1),
    laterLatenciesMs: [5, 6, 7],
    startMs: 2_100,
    transactions: { commits: 2_500, rollbacks: 40 },
    windowMs: 4_100,
    ticksPerSecond: 100,
    cpu: new Map<CostRowName, TicksDelta>([
      ['relayer', ok(120, 174 * 1_024)],
      ['relayer backends', ok(10)],
      ['kafka', ok(80, 506 * 1_024)],
      ['postgres', ok(200, 30 * 1_024)],
    ]),
    ...overrides,
  };
}

/** The cells of one figure's line, split on the column padding. */
function cells(lines: readonly string[], label: string): string[] {
  const line = lines.find((candidate) => candidate.startsWith(label));
  if (!line) throw new Error(`no line ${label}`);
  return line
    .slice(label.length)
    .trim()
    .split(/\s{2,}/);
}

describe(formatSideBySide.name, () => {
  it('prints one column per side under its label', () => {
    const sut = formatSideBySide([side(), side({ label: 'debezium', startMs: 4_000 })]);

    expect(sut[0]?.trim().split(/\s+/)).toEqual(['outbox-relay', 'debezium']);
    expect(cells(sut, 'relayer start (apart)')).toEqual(['2.1 s', '4.0 s']);
  });

  it('gives events/s drained, latency percentiles, and per-1,000-event commits and CPU', () => {
    const sut = formatSideBySide([side()]);

    expect(cells(sut, 'drained (append → received)')).toEqual(['500/s']);
    expect(cells(sut, 'commit→Kafka p50')).toEqual(['50 ms']);
    expect(cells(sut, 'commit→Kafka p99')).toEqual(['99 ms']);
    expect(cells(sut, 'commit→Kafka max')).toEqual(['100 ms']);
    expect(cells(sut, '  p99, 2nd half of appends')).toEqual(['7.0 ms']);
    expect(cells(sut, 'commits per 1,000 events')).toEqual(['1250']);
    expect(cells(sut, 'rollbacks per 1,000 events')).toEqual(['20']);
    // 120 ticks at 100/s = 1.2 s over 2,000 events: 600 ms per 1,000.
    expect(cells(sut, 'CPU ms/1k events: relayer process (Node / JVM)')).toEqual(['600']);
    // relayer + Kafka + the whole server (the backends are inside the server's row): 400 ticks.
    expect(cells(sut, 'CPU ms/1k events: total')).toEqual(['2000']);
    expect(cells(sut, 'peak RSS: Kafka broker (shared)')).toEqual(['506 MiB']);
  });

  it('prints n/a for a row it could not measure, and no total then', () => {
    const cpu = new Map(side().cpu);
    cpu.set('kafka', { ok: false, why: 'no Kafka process found' });

    const sut = formatSideBySide([side({ cpu })]);

    expect(cells(sut, 'CPU ms/1k events: Kafka broker (shared)')).toEqual(['n/a']);
    expect(cells(sut, 'CPU ms/1k events: total')).toEqual(['n/a']);
    expect(unavailableRows([side({ cpu })])).toEqual([
      'outbox-relay (live): Kafka broker (shared) n/a (no Kafka process found)',
    ]);
  });

  it('prints n/a for latencies and per-event figures when nothing arrived', () => {
    const sut = formatSideBySide([
      side({ unique: 0, missing: 2_000, latenciesMs: [], laterLatenciesMs: [] }),
    ]);

    expect(cells(sut, 'commit→Kafka p99')).toEqual(['n/a']);
    expect(cells(sut, 'commits per 1,000 events')).toEqual(['n/a']);
    expect(cells(sut, 'missing')).toEqual(['2000']);
  });
});

describe(`${formatSideBySide.name} of a backlog`, () => {
  it('gives the drain rate and the restart, without latencies', () => {
    const sut = formatSideBySide([side({ unique: 20_000, drainMs: 2_000, startMs: 5_300 })], 'backlog');

    expect(cells(sut, 'drained (first → last received)')).toEqual(['10,000/s']);
    expect(cells(sut, 'relayer restart (apart)')).toEqual(['5.3 s']);
    expect(sut.some((line) => line.startsWith('commit→Kafka'))).toBe(false);
  });
});

describe(cpuMsPerThousand.name, () => {
  it('is CPU ms per 1,000 events, undefined without events', () => {
    expect(cpuMsPerThousand(50, 100, 1_000)).toBe(500);
    expect(cpuMsPerThousand(50, 100, 0)).toBeUndefined();
  });
});

describe(perThousand.name, () => {
  it('scales a count to 1,000 events', () => {
    expect(perThousand(1_500, 3_000)).toBe(500);
    expect(perThousand(undefined, 3_000)).toBeUndefined();
  });
});

describe(eventsPerSecond.name, () => {
  it('is events per second of a window, undefined for an empty window', () => {
    expect(eventsPerSecond(20_000, 1_000)).toBe(20_000);
    expect(eventsPerSecond(1, 0)).toBeUndefined();
  });
});
