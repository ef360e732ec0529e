export * from './auth-config';
export * from './bearer-token';
export * from './claims';
export * from './principal';
export * from './token-verifier';
export * from './nest/auth.decorators';
export * from './nest/auth.module';
export { BearerTokenGuard, principalOfRequest } from './nest/bearer-token.guard';
