// Read directly, not through `@pitboss/contracts`, whose index re-exports the generated files: the document must
// be generated from the sources even when those are missing or stale (as tools/schemas does).
// eslint-disable-next-line @nx/enforce-module-boundaries -- deliberate: see above
export * from '../../libs/contracts/src/topics';
// eslint-disable-next-line @nx/enforce-module-boundaries -- deliberate: see above
export * from '../../libs/contracts/src/topic-parties';
