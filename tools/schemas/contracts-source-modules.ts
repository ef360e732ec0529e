// The generator reads the hand-written contract modules directly, not `@pitboss/contracts`, whose index
// re-exports the generated files: generation must work when those are missing or stale.
// eslint-disable-next-line @nx/enforce-module-boundaries -- deliberate: see above
export * from '../../libs/contracts/src/schema-composition';
// eslint-disable-next-line @nx/enforce-module-boundaries -- deliberate: see above
export * from '../../libs/contracts/src/topics';
