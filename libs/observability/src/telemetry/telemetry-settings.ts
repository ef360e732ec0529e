import { ConfigError } from '@pitboss/platform-config';

type Env = Readonly<Record<string, string | undefined>>;

export type TraceExporterKind = 'otlp' | 'zipkin' | 'none';

export interface TelemetrySettings {
  /** False with `OTEL_SDK_DISABLED=true` (or exporter `none`): no SDK, no instrumentation, no spans at all. */
  readonly enabled: boolean;
  readonly exporter: TraceExporterKind;
  /** The instrumentations left out (`OTEL_NODE_DISABLED_INSTRUMENTATIONS`); none by default. */
  readonly disabledInstrumentations: ReadonlySet<InstrumentationName>;
}

const EXPORTERS: readonly TraceExporterKind[] = ['otlp', 'zipkin', 'none'];

/** The libraries the services instrument, by the short names `@opentelemetry/auto-instrumentations-node` uses. */
export const INSTRUMENTATION_NAMES = ['http', 'undici', 'grpc', 'pg', 'ioredis'] as const;
export type InstrumentationName = (typeof INSTRUMENTATION_NAMES)[number];

/**
 * The tracing switches, under OpenTelemetry's own variable names so an operator's usual settings apply:
 * `OTEL_SDK_DISABLED` and `OTEL_TRACES_EXPORTER` (`otlp` by default: a collector over OTLP/HTTP; `zipkin` for the
 * local stack's Zipkin, which has no OTLP endpoint). Endpoints and sampling are read by the SDK itself
 * (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `OTEL_EXPORTER_ZIPKIN_ENDPOINT`, `OTEL_TRACES_SAMPLER[_ARG]`).
 * `OTEL_NODE_DISABLED_INSTRUMENTATIONS` (comma-separated, as the auto-instrumentations package reads it) leaves
 * instrumentations out: each costs CPU on every call it wraps, sampled or not (docs/performance.md).
 */
export function telemetrySettingsFrom(env: Env = process.env): TelemetrySettings {
  const disabled = (env['OTEL_SDK_DISABLED'] ?? '').trim().toLowerCase() === 'true';
  const raw = (env['OTEL_TRACES_EXPORTER'] ?? '').trim().toLowerCase();
  const exporter = raw === '' ? 'otlp' : raw;
  if (!EXPORTERS.includes(exporter as TraceExporterKind))
    throw new ConfigError(`OTEL_TRACES_EXPORTER must be one of ${EXPORTERS.join(', ')}, got "${raw}"`);
  const kind = exporter as TraceExporterKind;
  return {
    enabled: !disabled && kind !== 'none',
    exporter: kind,
    disabledInstrumentations: instrumentationsNamedIn(env['OTEL_NODE_DISABLED_INSTRUMENTATIONS'] ?? ''),
  };
}

function instrumentationsNamedIn(list: string): Set<InstrumentationName> {
  const names = list
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !INSTRUMENTATION_NAMES.includes(name as InstrumentationName));
  if (unknown.length > 0)
    throw new ConfigError(
      `OTEL_NODE_DISABLED_INSTRUMENTATIONS names ${unknown.join(', ')}; known: ${INSTRUMENTATION_NAMES.join(', ')}`,
    );
  return new Set(names as InstrumentationName[]);
}
