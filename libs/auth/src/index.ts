export * from './auth-config';
export * from './bearer-token';
export * from './claims';
export * from './principal';
export * from './token-verifier';
