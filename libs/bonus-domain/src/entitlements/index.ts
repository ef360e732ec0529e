export * from './entitlement-terms';
