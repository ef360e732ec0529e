export * from './migrations/saga-migrations';
export * from './postgres-saga-timers';
export * from './saga-instances';
export * from './saga-timer';
export * from './saga-timer-loop';
