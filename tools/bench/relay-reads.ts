/** The relay's outbox reads (`outbox_relay_reads_total`, one Postgres transaction each), from its /metrics. */
export interface RelayReads {
  readonly withRows: number;
  readonly empty: number;
}

/** Sums `outbox_relay_reads_total` over the sources of one Prometheus text exposition. */
export function relayReadsOf(metrics: string): RelayReads {
  let withRows = 0;
  let empty = 0;
  for (const line of metrics.split('\n')) {
    if (!line.startsWith('outbox_relay_reads_total{')) continue;
    const value = Number(line.split(' ').at(-1));
    if (line.includes('found="none"')) empty += value;
    else withRows += value;
  }
  return { withRows, empty };
}

export async function readRelayReads(relayUrl: string): Promise<RelayReads | undefined> {
  try {
    const response = await fetch(`${relayUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
    return response.ok ? relayReadsOf(await response.text()) : undefined;
  } catch {
    return undefined;
  }
}

/** The reads between two samples, per bet: how many of the commits per bet are the relay's reads. */
export function relayReadsLine(
  before: RelayReads | undefined,
  after: RelayReads | undefined,
  bets: number,
): string {
  if (before === undefined || after === undefined || bets === 0) return 'n/a (no relay /metrics)';
  const withRows = after.withRows - before.withRows;
  const empty = after.empty - before.empty;
  const perBet = (count: number) => (count / bets).toFixed(1);
  return (
    `${perBet(withRows + empty)} per bet (${perBet(withRows)} with rows, ${perBet(empty)} empty polls): ` +
    'outbox-relay reads, one transaction each, counted in the commits above'
  );
}
