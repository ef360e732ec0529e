export * from './env';
export * from './infrastructure-config';
export * from './setting-rules';
