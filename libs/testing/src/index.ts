export * from './event-collector';
export * from './expect-eventually';
export * from './relay-process';
export * from './test-schema';
export * from './test-topics';
export * from './unique-name';
