export * from './span-context';
export * from './start-telemetry';
export * from './telemetry-settings';
