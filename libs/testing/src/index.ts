export * from './expect-eventually';
export * from './test-schema';
export * from './unique-name';
