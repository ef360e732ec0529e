export * from './api-docs';
export * from './documented-rules';
export * from './error-responses';
export * from './openapi-builder';
export * from './document-cli';
