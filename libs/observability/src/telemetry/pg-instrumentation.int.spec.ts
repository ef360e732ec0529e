import { context, type Context, ROOT_CONTEXT, type Span, trace, TraceFlags } from '@opentelemetry/api';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import {
  AlwaysOnSampler,
  InMemorySpanExporter,
  ParentBasedSampler,
  type Sampler,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import * as pg from 'pg';

import { infrastructureConfig } from '@pitboss/platform-config';

import { PG_INSTRUMENTATION_CONFIG } from './start-telemetry';

/** Counts the sampler's decisions: every span the SDK is asked to start, recording or not, asks it. */
class CountingSampler implements Sampler {
  decisions = 0;
  private readonly inner = new ParentBasedSampler({ root: new AlwaysOnSampler() });
  shouldSample(...args: Parameters<Sampler['shouldSample']>): ReturnType<Sampler['shouldSample']> {
    this.decisions += 1;
    return this.inner.shouldSample(...args);
  }
  toString(): string {
    return 'CountingSampler';
  }
}

const unsampledParent = (): Context =>
  trace.setSpan(
    ROOT_CONTEXT,
    trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.NONE,
    }),
  );

/**
 * instrumentation-pg 0.76 starts a span for every query under any parent, a non-recording one under an unsampled
 * trace included (with its attributes, wrapped callback and duration metric): 95 % of production's bets at its
 * 5 % sampler. patches/@opentelemetry+instrumentation-pg+0.76.0.patch runs those queries uninstrumented; these
 * tests fail if the patch is not applied (an install without patch-package, an upgrade) or drops sampled spans.
 * The instrumentation is applied to `pg` by hand: jest's module loader is not the one require-in-the-middle hooks.
 */
describe('instrumentation-pg (patched)', () => {
  const exporter = new InMemorySpanExporter();
  const sampler = new CountingSampler();
  const provider = new NodeTracerProvider({ sampler, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const instrumentation = new PgInstrumentation({ ...PG_INSTRUMENTATION_CONFIG, enabled: false });
  let client: pg.Client;

  beforeAll(async () => {
    provider.register();
    instrumentation.setTracerProvider(provider);
    for (const definition of instrumentation.getModuleDefinitions())
      if (definition.name === 'pg') definition.patch?.(pg, definition.supportedVersions[0]);
    client = new pg.Client({ connectionString: infrastructureConfig().databaseUrl });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    for (const definition of instrumentation.getModuleDefinitions())
      if (definition.name === 'pg') definition.unpatch?.(pg, definition.supportedVersions[0]);
    await provider.shutdown();
    trace.disable();
    context.disable();
  });

  beforeEach(() => {
    exporter.reset();
    sampler.decisions = 0;
  });

  it('records a query span under a sampled parent, as its child', async () => {
    const tracer = provider.getTracer('pg-instrumentation.int.spec');
    const parent: Span = tracer.startSpan('parent');
    const result = await context.with(trace.setSpan(context.active(), parent), () =>
      client.query<{ answer: number }>('SELECT 42 AS answer'),
    );
    parent.end();

    expect(result.rows).toEqual([{ answer: 42 }]);
    const querySpan = exporter.getFinishedSpans().find((span) => span.name !== 'parent');
    expect(querySpan?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(querySpan?.attributes['db.system.name']).toBe('postgresql');
  });

  it('starts no span at all for a query under an unsampled parent, and the query still answers', async () => {
    const result = await context.with(unsampledParent(), () =>
      client.query<{ answer: number }>('SELECT 42 AS answer'),
    );

    expect(result.rows).toEqual([{ answer: 42 }]);
    expect(sampler.decisions).toBe(0);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('starts no span for a query without a parent (requireParentSpan)', async () => {
    await client.query('SELECT 1');

    expect(sampler.decisions).toBe(0);
  });
});
