import { type DynamicModule, Module } from '@nestjs/common';

import { type AuthConfig, authConfigFromEnv } from '../auth-config';
import { TokenVerifier } from '../token-verifier';
import { BearerTokenGuard } from './bearer-token.guard';

/** Injection token of the `AuthConfig` in use. */
export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

export interface AuthModuleOptions {
  /** Defaults to `authConfigFromEnv()` (`AUTH_*`), read when the app starts. */
  readonly config?: AuthConfig;
}

/**
 * Bearer-token authentication for operator routes: one `TokenVerifier` per app (so the JWKS is fetched and cached
 * once) and `BearerTokenGuard`, applied by `@RequireScopes(...)`. Global, so any controller can use the decorators.
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions = {}): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: AUTH_CONFIG, useFactory: () => options.config ?? authConfigFromEnv() },
        {
          provide: TokenVerifier,
          inject: [AUTH_CONFIG],
          useFactory: (config: AuthConfig) => new TokenVerifier(config),
        },
        BearerTokenGuard,
      ],
      exports: [AUTH_CONFIG, TokenVerifier, BearerTokenGuard],
    };
  }
}
