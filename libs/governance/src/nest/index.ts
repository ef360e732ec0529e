export * from './change-request-bodies';
export * from './change-requests.config';
export * from './change-requests.controller';
export * from './change-requests.module';
export * from './trace-id';
export * from './change-requests.openapi';
