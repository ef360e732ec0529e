import { startTelemetry } from '@pitboss/observability';

// Imported first by main.ts: tracing must patch http and pg before the sandbox requires them.
startTelemetry('wallet-sandbox');
