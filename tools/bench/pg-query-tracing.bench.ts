/**
 * What tracing adds to one pg query in the calling process: CPU µs per query (`process.cpuUsage`, this process
 * only; Postgres's side does not change), with instrumentation-pg (the fleet's `PG_INSTRUMENTATION_CONFIG`)
 * applied and removed in turn, the query run under no span, under an unsampled parent (95 % of production's bets
 * at its 5 % sampler) and under a sampled one (spans kept in memory, not exported). Rounds interleave the modes so
 * the box's drift hits them alike. Figures only, asserts nothing.
 *
 *   npm run bench:pg-tracing [-- --queries 5000 --rounds 3]
 */
import { parseArgs } from 'node:util';

import { context, type Context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import {
  InMemorySpanExporter,
  ParentBasedSampler,
  AlwaysOnSampler,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import * as pg from 'pg';

import { PG_INSTRUMENTATION_CONFIG } from '@pitboss/observability';
import { infrastructureConfig } from '@pitboss/platform-config';

import { machineLine } from './bench-support';

const { values: flags } = parseArgs({ options: { queries: { type: 'string' }, rounds: { type: 'string' } } });
const QUERIES = Number(flags.queries ?? 5_000);
const ROUNDS = Number(flags.rounds ?? 3);

type Mode = 'uninstrumented' | 'no parent' | 'unsampled parent' | 'sampled parent';
const MODES: readonly Mode[] = ['uninstrumented', 'no parent', 'unsampled parent', 'sampled parent'];

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({
  sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});
provider.register();
const tracer = provider.getTracer('pg-query-tracing.bench');
const instrumentation = new PgInstrumentation({ ...PG_INSTRUMENTATION_CONFIG, enabled: false });
instrumentation.setTracerProvider(provider);
const pgDefinition = instrumentation.getModuleDefinitions().find((definition) => definition.name === 'pg');

function instrument(on: boolean): void {
  const apply = on ? pgDefinition?.patch : pgDefinition?.unpatch;
  apply?.(pg, pgDefinition?.supportedVersions[0]);
}

function contextOf(mode: Mode): Context {
  if (mode === 'unsampled parent')
    return trace.setSpan(
      ROOT_CONTEXT,
      trace.wrapSpanContext({
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: TraceFlags.NONE,
      }),
    );
  if (mode === 'sampled parent') return trace.setSpan(ROOT_CONTEXT, tracer.startSpan('parent'));
  return ROOT_CONTEXT;
}

/** CPU µs per query of `QUERIES` prepared `SELECT $1` round trips, one after the other. */
async function cpuMicrosPerQuery(client: pg.Client, mode: Mode): Promise<number> {
  instrument(mode !== 'uninstrumented');
  const parent = contextOf(mode);
  const started = process.cpuUsage();
  await context.with(parent, async () => {
    for (let i = 0; i < QUERIES; i++)
      await client.query({ name: 'bench-select', text: 'SELECT $1::int AS n', values: [i] });
  });
  const used = process.cpuUsage(started);
  trace.getSpan(parent)?.end();
  exporter.reset();
  instrument(false);
  return (used.user + used.system) / QUERIES;
}

async function main(): Promise<void> {
  process.stdout.write(`bench: ${machineLine()}\n`);
  const client = new pg.Client({ connectionString: infrastructureConfig().databaseUrl });
  await client.connect();
  await cpuMicrosPerQuery(client, 'uninstrumented'); // warm-up: JIT, the prepared statement
  const samples = new Map<Mode, number[]>(MODES.map((mode) => [mode, []]));
  for (let round = 0; round < ROUNDS; round++)
    for (const mode of round % 2 === 0 ? MODES : [...MODES].reverse())
      samples.get(mode)?.push(await cpuMicrosPerQuery(client, mode));
  await client.end();
  await provider.shutdown();
  process.stdout.write(
    `${QUERIES} queries per mode and round, ${ROUNDS} rounds; CPU µs per query (this process)\n`,
  );
  const baseline = mean(samples.get('uninstrumented') ?? []);
  for (const [mode, values] of samples)
    process.stdout.write(
      `  ${mode.padEnd(18)} ${mean(values).toFixed(1).padStart(7)} µs  (${signed(mean(values) - baseline)})` +
        `   rounds: ${values.map((value) => value.toFixed(1)).join(' / ')}\n`,
    );
}

const signed = (micros: number) => `${micros >= 0 ? '+' : ''}${micros.toFixed(1)}`;
const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
