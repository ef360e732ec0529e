import { type IncomingMessage } from 'node:http';

import { setGlobalErrorHandler, CompositePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation, type PgInstrumentationConfig } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { envDetector } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';

import {
  type InstrumentationName,
  telemetrySettingsFrom,
  type TraceExporterKind,
} from './telemetry-settings';
import { throttledErrorHandler } from './throttled-error-handler';
import { XTraceIdPropagator } from './x-trace-id.propagator';

const EXPORT_ERROR_LOG_INTERVAL_MS = 60_000;
// Probes and scrapes every few seconds would be most of the traces and none of the interest.
const UNTRACED_PATHS = /^\/(health\/(live|ready)|metrics)(\?|$)/;

let sdk: NodeSDK | undefined;

/**
 * Starts OpenTelemetry tracing for the process, once; a no-op when disabled (telemetry-settings.ts). Must run
 * before the traced libraries are required (http, pg, ioredis, @grpc/grpc-js): each service's `telemetry.ts` is
 * the first import of its `main.ts`. Kafka is traced explicitly (the relay's publish and the consumers' handling,
 * parented by the `traceparent` each outbox row and message carries), not by kafkajs instrumentation, whose
 * producer spans would hang off the relay's poll loop instead of the request that wrote the event.
 */
export function startTelemetry(serviceName: string): void {
  if (sdk !== undefined) return;
  const settings = telemetrySettingsFrom();
  if (!settings.enabled) return;
  setGlobalErrorHandler(
    throttledErrorHandler({
      intervalMs: EXPORT_ERROR_LOG_INTERVAL_MS,
      write: (line) => process.stderr.write(`${line}\n`),
    }),
  );
  sdk = new NodeSDK({
    serviceName,
    resourceDetectors: [envDetector],
    spanProcessors: [new BatchSpanProcessor(exporterOf(settings.exporter))],
    // Empty lists, not left out: the SDK would otherwise build OTLP metric and log exporters from the environment.
    metricReaders: [],
    logRecordProcessors: [],
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new XTraceIdPropagator()],
    }),
    instrumentations: instrumentationsOf(settings.disabledInstrumentations),
  });
  sdk.start();
}

/** Exports the spans still buffered (at shutdown, so a stopping service's last requests are not lost). */
export async function stopTelemetry(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown().catch(() => undefined);
}

type ServiceInstrumentation =
  | HttpInstrumentation
  | UndiciInstrumentation
  | GrpcInstrumentation
  | PgInstrumentation
  | IORedisInstrumentation;

/**
 * The fleet's pg instrumentation (its int spec and bench:pg-tracing apply the same). Without a parent a query is
 * one of the relay's and timers' polls: thousands of one-span traces a minute. Under an unsampled parent it is
 * not traced either (patches/@opentelemetry+instrumentation-pg+0.76.0.patch).
 */
export const PG_INSTRUMENTATION_CONFIG: PgInstrumentationConfig = {
  requireParentSpan: true,
  ignoreConnectSpans: true,
};

function instrumentationsOf(disabled: ReadonlySet<InstrumentationName>): ServiceInstrumentation[] {
  const all: ReadonlyArray<readonly [InstrumentationName, () => ServiceInstrumentation]> = [
    [
      'http',
      () =>
        new HttpInstrumentation({
          ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.test(request.url ?? ''),
          requireParentforOutgoingSpans: true,
        }),
    ],
    ['undici', () => new UndiciInstrumentation({ requireParentforSpans: true })],
    ['grpc', () => new GrpcInstrumentation()],
    ['pg', () => new PgInstrumentation(PG_INSTRUMENTATION_CONFIG)],
    ['ioredis', () => new IORedisInstrumentation({ requireParentSpan: true })],
  ];
  return all.filter(([name]) => !disabled.has(name)).map(([, instrument]) => instrument());
}

function exporterOf(kind: TraceExporterKind): SpanExporter {
  // Both read their endpoint from the environment: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT
  // (default http://localhost:4318/v1/traces) and OTEL_EXPORTER_ZIPKIN_ENDPOINT (http://localhost:9411/api/v2/spans).
  return kind === 'zipkin' ? new ZipkinExporter() : new OTLPTraceExporter();
}
