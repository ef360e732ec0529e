// The generator reads the hand-written contract modules directly, not `@pitboss/contracts`, whose index
// re-exports the generated files: generation must work when those are missing or stale.
export * from '../../libs/contracts/src/schema-composition';
export * from '../../libs/contracts/src/topics';
