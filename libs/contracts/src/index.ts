export * from './envelope';
export * from './avro-envelope';
export * from './avro-types';
export * from './schema-composition';
export * from './topics';
export * from './generated';
export * from './errors/error-catalogue';
export * from './proto/proto-path';
