export * from './envelope';
export * from './schema-composition';
export * from './topics';
export * from './generated';
