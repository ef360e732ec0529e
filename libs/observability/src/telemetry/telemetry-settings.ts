import { ConfigError } from '@pitboss/platform-config';

type Env = Readonly<Record<string, string | undefined>>;

export type TraceExporterKind = 'otlp' | 'zipkin' | 'none';

export interface TelemetrySettings {
  /** False with `OTEL_SDK_DISABLED=true` (or exporter `none`): no SDK, no instrumentation, no spans at all. */
  readonly enabled: boolean;
  readonly exporter: TraceExporterKind;
}

const EXPORTERS: readonly TraceExporterKind[] = ['otlp', 'zipkin', 'none'];

/**
 * The tracing switches, under OpenTelemetry's own variable names so an operator's usual settings apply:
 * `OTEL_SDK_DISABLED` and `OTEL_TRACES_EXPORTER` (`otlp` by default: a collector over OTLP/HTTP; `zipkin` for the
 * local stack's Zipkin, which has no OTLP endpoint). Endpoints and sampling are read by the SDK itself
 * (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `OTEL_EXPORTER_ZIPKIN_ENDPOINT`, `OTEL_TRACES_SAMPLER[_ARG]`).
 */
export function telemetrySettingsFrom(env: Env = process.env): TelemetrySettings {
  const disabled = (env['OTEL_SDK_DISABLED'] ?? '').trim().toLowerCase() === 'true';
  const raw = (env['OTEL_TRACES_EXPORTER'] ?? '').trim().toLowerCase();
  const exporter = raw === '' ? 'otlp' : raw;
  if (!EXPORTERS.includes(exporter as TraceExporterKind))
    throw new ConfigError(`OTEL_TRACES_EXPORTER must be one of ${EXPORTERS.join(', ')}, got "${raw}"`);
  const kind = exporter as TraceExporterKind;
  return { enabled: !disabled && kind !== 'none', exporter: kind };
}
