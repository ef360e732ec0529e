import {
  isJitCompilerThread,
  parseChildren,
  parseCpuTotals,
  parseProcStat,
  parseSocketOwners,
  parseStatusKb,
} from './proc-parse';

/** A real line (the postmaster of the project's machine), with utime 9, stime 102, cutime 4664, cstime 1956. */
const POSTMASTER =
  '2199 (postgres) S 1 2199 2199 0 -1 4194304 21197 1012650 0 29 9 102 4664 1956 20 0 1 0 4188 222445568 7419 ' +
  '18446744073709551615 94221863407616 94221868863961 140726089484832 0 0 0 0 24129536 84487 1 0 0 17 0 0 0 0 0 0';

describe(parseProcStat.name, () => {
  it('reads the CPU fields, the parent and the start time by their proc(5) numbers', () => {
    expect(parseProcStat(POSTMASTER)).toEqual({
      pid: 2199,
      comm: 'postgres',
      state: 'S',
      ppid: 1,
      utime: 9,
      stime: 102,
      cutime: 4664,
      cstime: 1956,
      starttime: 4188,
    });
  });

  it('counts the fields from the last parenthesis: a comm with spaces and parentheses does not shift them', () => {
    const line = POSTMASTER.replace('(postgres)', '(we ird) (name) ) x)');
    const stat = parseProcStat(line);
    expect(stat.comm).toBe('we ird) (name) ) x');
    expect([stat.state, stat.ppid, stat.utime, stat.stime, stat.starttime]).toEqual(['S', 1, 9, 102, 4188]);
  });

  it('accepts the trailing newline the kernel writes', () => {
    expect(parseProcStat(`${POSTMASTER}\n`).starttime).toBe(4188);
  });

  it('refuses what is not a stat line rather than returning zeros', () => {
    expect(() => parseProcStat('')).toThrow();
    expect(() => parseProcStat('12 (node) S 1 2 3')).toThrow();
    expect(() => parseProcStat(POSTMASTER.replace(' 9 102 ', ' x 102 '))).toThrow(/field 14/);
  });
});

describe(parseStatusKb.name, () => {
  const status = 'Name:\tnode\nVmPeak:\t 1200 kB\nVmHWM:\t   29824 kB\nVmRSS:\t   29000 kB\nThreads:\t11\n';

  it('reads a kB line by its key, not a key that merely contains it', () => {
    expect(parseStatusKb(status, 'VmHWM')).toBe(29_824);
    expect(parseStatusKb(status, 'VmRSS')).toBe(29_000);
  });

  it('is undefined when the key is absent (kernel threads have no Vm lines)', () => {
    expect(parseStatusKb('Name:\tkthreadd\nThreads:\t1\n', 'VmHWM')).toBeUndefined();
  });
});

describe(parseChildren.name, () => {
  it('reads the space-separated pids, trailing space and newline included', () => {
    expect(parseChildren('2200 2201 2203 2204 \n')).toEqual([2200, 2201, 2203, 2204]);
    expect(parseChildren('')).toEqual([]);
  });
});

describe(parseCpuTotals.name, () => {
  it('counts idle and iowait as not busy; guest time is already inside user', () => {
    const text = 'cpu  283343 0 50304 120258 840 0 1592 8062 5 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n';
    expect(parseCpuTotals(text)).toEqual({
      busy: 283_343 + 50_304 + 1_592 + 8_062,
      total: 283_343 + 50_304 + 120_258 + 840 + 1_592 + 8_062,
    });
  });

  it('throws without the aggregate line', () => {
    expect(() => parseCpuTotals('cpu0 1 2 3 4\n')).toThrow();
  });
});

describe(parseSocketOwners.name, () => {
  it('maps the local port to the pid, with or without the State column, IPv4 and IPv6', () => {
    const text = [
      'LISTEN 0      511    127.0.0.1:6379 0.0.0.0:* users:(("redis-server",pid=2219,fd=6))',
      '0      0      127.0.0.1:48490 127.0.0.1:5432 users:(("node",pid=15510,fd=25))',
      '0      0      [::1]:48500 [::1]:5432 users:(("node",pid=15511,fd=26))',
      '0      0      127.0.0.1:48510 127.0.0.1:5432',
    ].join('\n');
    expect([...parseSocketOwners(text)]).toEqual([
      [6379, 2219],
      [48_490, 15_510],
      [48_500, 15_511],
    ]);
  });
});

describe(isJitCompilerThread.name, () => {
  it("knows HotSpot's C1 and C2 compiler threads by their comm, as the kernel cuts it to 15 characters", () => {
    expect(['C2 CompilerThre', 'C1 CompilerThre'].map(isJitCompilerThread)).toEqual([true, true]);
    expect(
      ['data-plane-kafk', 'GC Thread#0', 'VM Thread', 'Sweeper thread', 'java'].map(isJitCompilerThread),
    ).toEqual([false, false, false, false, false]);
  });
});
