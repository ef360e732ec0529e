export * from './env';
export * from './infrastructure-config';
