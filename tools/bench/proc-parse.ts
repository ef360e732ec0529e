/**
 * Pure parsers for what the bench reads from Linux (/proc, `ss`): no I/O here, so every format is unit-tested.
 * proc(5) is the reference for the field numbers.
 */

export interface ProcStat {
  readonly pid: number;
  /** The executable's name as the kernel keeps it (may contain spaces and parentheses). */
  readonly comm: string;
  readonly state: string;
  readonly ppid: number;
  /** Clock ticks (`getconf CLK_TCK`) spent in user and kernel mode by the process itself (all its threads). */
  readonly utime: number;
  readonly stime: number;
  /** Clock ticks of its children that it has waited for (a postmaster's exited backends end up here). */
  readonly cutime: number;
  readonly cstime: number;
  /** Clock ticks after boot the process started: with the pid, identifies one process (pids are reused). */
  readonly starttime: number;
}

/**
 * One `/proc/<pid>/stat` line. The comm field (2) is in parentheses and may itself contain spaces and `)`, so
 * the fields after it are counted from the LAST `)`, never by splitting the whole line.
 */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${text.slice(0, 80)}`);
  const pid = Number(text.slice(0, open).trim());
  // rest[0] is field 3 (state), so field n is rest[n - 3].
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const field = (n: number): number => {
    const value = Number(rest[n - 3]);
    if (!Number.isFinite(value)) throw new Error(`/proc/${pid}/stat: field ${n} is ${rest[n - 3]}`);
    return value;
  };
  if (!Number.isSafeInteger(pid) || rest.length < 20)
    throw new Error(`not a /proc/<pid>/stat line: ${text.slice(0, 80)}`);
  return {
    pid,
    comm: text.slice(open + 1, close),
    state: rest[0] ?? '?',
    ppid: field(4),
    utime: field(14),
    stime: field(15),
    cutime: field(16),
    cstime: field(17),
    starttime: field(22),
  };
}

/** A `kB` line of `/proc/<pid>/status` (`VmHWM`, `VmRSS`), in kB; undefined when absent (kernel threads). */
export function parseStatusKb(text: string, key: string): number | undefined {
  // eslint-disable-next-line security/detect-non-literal-regexp -- key is a /proc/<pid>/status field name from code (VmHWM, VmRSS)
  const match = new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}

/** `/proc/<pid>/task/<pid>/children`: space-separated pids. */
export function parseChildren(text: string): number[] {
  return text
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((pid) => Number.isSafeInteger(pid) && pid > 0);
}

/** The first line of `/proc/stat` (`cpu  user nice system idle iowait irq softirq steal ...`), in ticks. */
export function parseCpuTotals(text: string): { busy: number; total: number } {
  const line = text.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (line === undefined) throw new Error('/proc/stat has no "cpu " line');
  // guest and guest_nice (9, 10) are already counted in user and nice.
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map((value) => Number(value) || 0);
  const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
  return { busy, total: busy + (idle ?? 0) + (iowait ?? 0) };
}

/**
 * `ss -Htnp` lines: the local port of each TCP socket → the pid of the process holding it. Columns vary with
 * the filter (a `state` filter drops the State column), so the first two `addr:port` tokens are local and peer.
 */
export function parseSocketOwners(text: string): Map<number, number> {
  const owners = new Map<number, number>();
  for (const line of text.split('\n')) {
    const endpoints = line.split(/\s+/).filter((token) => /^(\[[^\]]*\]|[^\s[\]]+):(\d+|\*)$/.test(token));
    const localPort = Number(endpoints[0]?.split(':').at(-1));
    const pid = /pid=(\d+)/.exec(line)?.[1];
    if (Number.isSafeInteger(localPort) && pid !== undefined) owners.set(localPort, Number(pid));
  }
  return owners;
}

/**
 * Whether a thread's `comm` is one of HotSpot's JIT compiler threads (`C1 CompilerThread0`, `C2 CompilerThread1`,
 * cut by the kernel to 15 characters): the share of a JVM's CPU that is still compiling its hot code.
 */
export function isJitCompilerThread(comm: string): boolean {
  return /^C[12] CompilerThre/.test(comm);
}
