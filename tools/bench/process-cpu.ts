import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

import { type CpuReading } from './cost-figures';
import {
  isJitCompilerThread,
  parseChildren,
  parseCpuTotals,
  parseProcStat,
  parseStatusKb,
  type ProcStat,
} from './proc-parse';

/** Clock ticks per second of /proc's CPU fields (`getconf CLK_TCK`, 100 on every usual Linux). */
export function clockTicksPerSecond(): number {
  const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim());
  return Number.isSafeInteger(ticks) && ticks > 0 ? ticks : 100;
}

/** `/proc/<pid>/stat`, or a thread's with `<pid>/task/<tid>`. */
export function readStat(pid: number | string): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** VmHWM: the process's peak resident set since it started, kB. */
export function readPeakRssKb(pid: number): number | undefined {
  try {
    return parseStatusKb(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmHWM');
  } catch {
    return undefined;
  }
}

export function readChildren(pid: number): number[] {
  try {
    return parseChildren(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8'));
  } catch {
    return [];
  }
}

export function readCommandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

/**
 * One process's CPU so far: its own utime + stime (all threads). The identity (pid + start time) makes a
 * restart during the window show as n/a instead of a negative or inflated delta.
 */
export function readProcessCpu(pid: number): CpuReading {
  const stat = readStat(pid);
  if (stat === undefined) return { kind: 'missing', why: `pid ${pid} is not running` };
  if (stat.state === 'Z') return { kind: 'missing', why: `pid ${pid} has exited (zombie)` };
  return {
    kind: 'counter',
    ticks: stat.utime + stat.stime,
    identity: `${pid}@${stat.starttime}`,
    peakRssKb: readPeakRssKb(pid),
  };
}

/**
 * A JVM's JIT compiler threads' CPU so far (`isJitCompilerThread`), by thread: HotSpot starts and stops them as
 * the compile queue asks, so a thread that appears during a window counts from 0.
 */
export function readJitCompilerCpu(pid: number): CpuReading {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return { kind: 'missing', why: `pid ${pid} is not running` };
  }
  const parts = new Map<string, number>();
  for (const tid of threads) {
    const stat = readStat(`${pid}/task/${tid}`);
    if (stat !== undefined && isJitCompilerThread(stat.comm))
      parts.set(`${tid}@${stat.starttime}`, stat.utime + stat.stime);
  }
  return { kind: 'parts', parts };
}

/** The whole machine's busy and total ticks, all cores (/proc/stat). */
export function readMachineCpu(): { busy: number; total: number } | undefined {
  try {
    return parseCpuTotals(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
}
