export * from './decide-grant';
export * from './grant-events';
export * from './grant-four-eyes';
export * from './grant-money';
export * from './grant-retry';
export * from './grant-state';
export * from './grant-terms';
