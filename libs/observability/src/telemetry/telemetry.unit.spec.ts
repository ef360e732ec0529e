import { defaultTextMapGetter, ROOT_CONTEXT, trace } from '@opentelemetry/api';

import { ConfigError } from '@pitboss/platform-config';

import { activeTraceparent, contextOfTraceparent } from './span-context';
import { telemetrySettingsFrom } from './telemetry-settings';
import { throttledErrorHandler } from './throttled-error-handler';
import { XTraceIdPropagator } from './x-trace-id.propagator';

describe(telemetrySettingsFrom.name, () => {
  it('exports over OTLP by default', () => {
    expect(telemetrySettingsFrom({})).toEqual({
      enabled: true,
      exporter: 'otlp',
      disabledInstrumentations: new Set(),
    });
  });

  it('is off with OTEL_SDK_DISABLED=true or the none exporter', () => {
    expect(telemetrySettingsFrom({ OTEL_SDK_DISABLED: 'true' }).enabled).toBe(false);
    expect(telemetrySettingsFrom({ OTEL_TRACES_EXPORTER: 'none' }).enabled).toBe(false);
  });

  it('takes zipkin and refuses an exporter it cannot build', () => {
    expect(telemetrySettingsFrom({ OTEL_TRACES_EXPORTER: 'Zipkin' }).exporter).toBe('zipkin');
    expect(() => telemetrySettingsFrom({ OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(ConfigError);
  });

  it('leaves out the instrumentations OTEL_NODE_DISABLED_INSTRUMENTATIONS names, and refuses unknown names', () => {
    expect(
      telemetrySettingsFrom({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: ' pg, IORedis ,' })
        .disabledInstrumentations,
    ).toEqual(new Set(['pg', 'ioredis']));
    expect(() => telemetrySettingsFrom({ OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pg,kafkajs' })).toThrow(
      /kafkajs; known: http, undici, grpc, pg, ioredis/,
    );
  });
});

describe(throttledErrorHandler.name, () => {
  it('writes at most one line per interval, counting the errors it held back', () => {
    let now = 0;
    const lines: string[] = [];
    const sut = throttledErrorHandler({
      intervalMs: 60_000,
      write: (line) => lines.push(line),
      now: () => now,
    });
    sut(new Error('ECONNREFUSED'));
    now = 1_000;
    sut(new Error('ECONNREFUSED'));
    sut(new Error('ECONNREFUSED'));
    now = 61_000;
    sut(new Error('ECONNREFUSED'));
    expect(lines.map((line) => JSON.parse(line).suppressed_since_last)).toEqual([0, 2]);
  });
});

describe(XTraceIdPropagator.name, () => {
  const sut = new XTraceIdPropagator();
  const traceIdOf = (carrier: Record<string, string>, context = ROOT_CONTEXT) =>
    trace.getSpanContext(sut.extract(context, carrier, defaultTextMapGetter))?.traceId;

  it('continues a valid X-Trace-Id when there is no traceparent', () => {
    expect(traceIdOf({ 'x-trace-id': '0AF7651916CD43DD8448EB211C80319C' })).toBe(
      '0af7651916cd43dd8448eb211c80319c',
    );
  });

  it('leaves a traceparent found first, and ignores an invalid id', () => {
    const traced = contextOfTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(traceIdOf({ 'x-trace-id': '0af7651916cd43dd8448eb211c80319c' }, traced)).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
    expect(traceIdOf({ 'x-trace-id': 'not-hex' })).toBeUndefined();
    expect(traceIdOf({ 'x-trace-id': '0'.repeat(32) })).toBeUndefined();
  });
});

describe(activeTraceparent.name, () => {
  it('formats the context span as a traceparent, and nothing for the root context', () => {
    const header = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(activeTraceparent(contextOfTraceparent(header))).toBe(header);
    expect(activeTraceparent(ROOT_CONTEXT)).toBeUndefined();
    expect(activeTraceparent(contextOfTraceparent('garbage'))).toBeUndefined();
  });
});
