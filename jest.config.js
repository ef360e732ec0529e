// Test tiers (see docs/architecture.md#tests): `unit` has no I/O; `int` talks to the real stack, which the
// global setup brings up once (Kafka, registry, Postgres, Redis) before any int suite runs.
const { readFileSync } = require('node:fs');

const swcConfig = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swcConfig, swcrc: false }],
    // jose ships ES modules only; Node 20 requires them natively, Jest's module loader needs them as CommonJS.
    '/node_modules/jose/.+\\.js$': ['@swc/jest', { ...swcConfig, swcrc: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper: { '^@pitboss/(.*)$': '<rootDir>/libs/$1/src/index.ts' },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.stack/'],
};

module.exports = {
  // Integration tests wait on real brokers and processes; unit tests finish far inside this.
  testTimeout: 120_000,
  reporters: ['default', '<rootDir>/tools/test/summary-reporter.js'],
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['**/*.unit.spec.ts'] },
    {
      ...shared,
      displayName: 'int',
      testMatch: ['**/*.int.spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
    },
    // The running fleet from outside (real processes on the real stack); same set-up as `int`.
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['**/*.e2e.spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
    },
  ],
};
