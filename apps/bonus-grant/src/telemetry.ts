import { startTelemetry } from '@pitboss/observability';

// Imported first by main.ts: tracing must patch http, pg, ioredis and gRPC before anything requires them.
startTelemetry('bonus-grant');
