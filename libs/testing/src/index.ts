export * from './event-collector';
export * from './expect-eventually';
export * from './outbox-workload';
export * from './relay-process';
export * from './test-schema';
export * from './test-topics';
export * from './unique-name';
export * from './wallet-sandbox-process';
