import { spawnSync } from 'node:child_process';
import { cpus, release, totalmem, type } from 'node:os';

import { type RelayProcess } from '@pitboss/testing';

/** Figures mean little without the machine they came from. */
export function machineLine(): string {
  const cores = cpus();
  const memoryGiB = (totalmem() / 2 ** 30).toFixed(1);
  return `${cores.length} cores (${cores[0]?.model.trim() ?? 'unknown cpu'}), ${memoryGiB} GiB RAM, ${type()} ${release()}, node ${process.version}`;
}

/** An app runs from its build; Nx answers from its cache when nothing changed, so this is cheap. */
export function buildApp(app: string): void {
  const build = spawnSync('npx', ['nx', 'build', app], { encoding: 'utf8' });
  if (build.status !== 0)
    throw new Error(`npx nx build ${app} failed:\n${`${build.stdout}${build.stderr}`.slice(-3_000)}`);
}

export function buildRelay(): void {
  buildApp('outbox-relay');
}

/**
 * The relay's own insert→Kafka-ack histogram, read from its /metrics (it listens on a port of its own choice,
 * which it logs): separates the relay's share of the latency from the consumer's.
 */
export async function relayPublishMeanMs(relay: RelayProcess): Promise<string> {
  const url = relay.output.map((line) => /listening on (http:\/\/\S+?)"/.exec(line)?.[1]).find(Boolean);
  if (!url) return 'n/a (relay URL not in its log)';
  const metrics = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
  const sample = (name: string) =>
    metrics
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`))
      .reduce((total, line) => total + Number(line.split(' ').at(-1)), 0);
  const count = sample('outbox_insert_to_publish_seconds_count');
  if (count === 0) return 'n/a (nothing published)';
  return `mean ${((sample('outbox_insert_to_publish_seconds_sum') / count) * 1_000).toFixed(1)} ms over ${count} events`;
}
