export * from './actor';
export * from './audit-chain';
export * from './change-request';
export * from './change-request.decider';
export * from './four-eyes-policy';
