import fs from 'node:fs';

import { seconds } from './ports';

/** What `stack:status` says of a JVM the project started: how long it took to answer, and its memory now. */
interface StartRecord {
  readonly pid: number;
  readonly upAfterMs: number;
}

export function recordStart(file: string, pid: number, upAfterMs: number): void {
  const record: StartRecord = { pid, upAfterMs };
  fs.writeFileSync(file, `${JSON.stringify(record)}\n`);
}

/** "started in 14.2s, RSS 180 MB" for the running pid; the start time only when the record is of that pid. */
export function startDetail(file: string, pid: number): string | undefined {
  const record = readStartRecord(file);
  const rss = rssMegabytes(pid);
  const parts = [
    record?.pid === pid ? `started in ${seconds(record.upAfterMs)}` : undefined,
    rss === undefined ? undefined : `RSS ${rss} MB`,
  ].filter((part): part is string => part !== undefined);
  return parts.length === 0 ? undefined : parts.join(', ');
}

function readStartRecord(file: string): StartRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as StartRecord;
  } catch {
    return undefined;
  }
}

function rssMegabytes(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Math.round(Number(match[1]) / 1024);
  } catch {
    return undefined;
  }
}
