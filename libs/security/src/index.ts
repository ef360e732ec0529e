export * from './signing/sign-request';
export * from './signing/signature-config';
export * from './signing/signature-headers';
export * from './signing/signing-string';
export * from './signing/tenant-secrets';
export * from './signing/verify-grpc-request';
export * from './signing/verify-request';
