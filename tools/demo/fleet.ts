/** The six services and their default ports (apps/<name>/src/main.ts); tools/demo/run.sh starts them on these. */
export const FLEET = [
  { name: 'bet-gateway', port: 3000 },
  { name: 'settle-worker', port: 3001 },
  { name: 'bonus-grant', port: 3002 },
  { name: 'wagering-progress', port: 3003 },
  { name: 'reconciliation', port: 3004 },
  { name: 'outbox-relay', port: 3005 },
] as const;

const RELAY_METRICS = ['outbox_events_published_total', 'outbox_lag_seconds'];

/** One line per service: HTTP status and the body of /health/ready, or why it did not answer. */
export async function readinessLines(): Promise<string[]> {
  return Promise.all(
    FLEET.map(async ({ name, port }) => {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health/ready`, {
          signal: AbortSignal.timeout(5_000),
        });
        return `${name.padEnd(18)} ${response.status} ${await response.text()}`;
      } catch (error) {
        return `${name.padEnd(18)} no answer: ${error instanceof Error ? error.message : String(error)}`;
      }
    }),
  );
}

/** The relay's own view of what it published and how far behind it is, as Prometheus exposes it. */
export async function relayMetricLines(): Promise<string[]> {
  const port = FLEET.find((service) => service.name === 'outbox-relay')?.port;
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`relay /metrics answered ${response.status}`);
  const samples = (await response.text())
    .split('\n')
    .filter((line) =>
      RELAY_METRICS.some((metric) => line.startsWith(`${metric}{`) || line.startsWith(`${metric} `)),
    );
  return samples.length > 0 ? samples : ['(no samples yet)'];
}
