import { startTelemetry } from '@pitboss/observability';

// Imported first by main.ts: tracing must patch http before anything requires it.
startTelemetry('noc');
