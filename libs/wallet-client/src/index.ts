export * from './breaking-wallet-client';
export * from './create-wallet-client';
export * from './http-wallet-client';
export * from './wallet-circuit-breaker';
export * from './wallet-client.config';
export * from './wallet-keys';
export * from './wallet-outcome.classifier';
export * from './wallet-port';
