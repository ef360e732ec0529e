import { type Client } from 'pg';

import { type CpuReading } from './cost-figures';
import { readChildren, readPeakRssKb, readStat } from './process-cpu';
import { clientSocketOwners } from './watched-processes';

export interface PostgresCpu {
  /**
   * The whole server: the postmaster and every child (backends, checkpointer, walwriter, autovacuum…), each with
   * cutime + cstime, so a backend that exits during the window is still counted: the postmaster reaps it and its
   * CPU moves into the postmaster's cutime.
   */
  readonly server: CpuReading;
  /** Only the backends whose client socket belongs to one of `clientPids` (the fleet), by pid@starttime. */
  readonly fleet: CpuReading;
  /** Client backends of anyone else (not the fleet, not the bench): their work is in `server`, not in `fleet`. */
  readonly otherClients: number;
}

/**
 * One reading of the Postgres server's CPU from /proc, split by who is at the other end of each backend's
 * connection: pg_stat_activity gives each backend's client port, `ss -tnp` the process owning that port.
 */
export async function readPostgresCpu(
  postmaster: number,
  port: number,
  db: Client,
  clientPids: ReadonlySet<number>,
): Promise<PostgresCpu> {
  const activity = await db.query<{ pid: number; client_port: number | null }>(
    "SELECT pid, client_port FROM pg_stat_activity WHERE backend_type = 'client backend'",
  );
  const owners = clientSocketOwners(port);
  const clientOf = new Map(
    activity.rows.map((row) => [row.pid, row.client_port === null ? undefined : owners.get(row.client_port)]),
  );
  const top = readStat(postmaster);
  if (top === undefined) {
    const why = `postmaster pid ${postmaster} is not running`;
    return { server: { kind: 'missing', why }, fleet: { kind: 'missing', why }, otherClients: 0 };
  }
  let serverTicks = 0;
  let serverPeak = readPeakRssKb(postmaster) ?? 0;
  let fleetPeak = 0;
  const fleetParts = new Map<string, number>();
  let otherClients = 0;
  for (const child of readChildren(postmaster)) {
    const stat = readStat(child);
    if (stat === undefined) continue; // exited just now: the postmaster's cutime has it (or soon will)
    serverTicks += stat.utime + stat.stime + stat.cutime + stat.cstime;
    const peak = readPeakRssKb(child) ?? 0;
    serverPeak = Math.max(serverPeak, peak);
    if (!clientOf.has(child)) continue;
    const client = clientOf.get(child);
    if (client !== undefined && clientPids.has(client)) {
      fleetParts.set(`${child}@${stat.starttime}`, stat.utime + stat.stime);
      fleetPeak = Math.max(fleetPeak, peak);
    } else if (client !== process.pid) otherClients += 1;
  }
  serverTicks += top.utime + top.stime + top.cutime + top.cstime;
  return {
    server: {
      kind: 'counter',
      ticks: serverTicks,
      identity: `${postmaster}@${top.starttime}`,
      peakRssKb: serverPeak,
    },
    fleet: { kind: 'parts', parts: fleetParts, peakRssKb: fleetPeak || undefined },
    otherClients,
  };
}
