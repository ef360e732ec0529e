import { ConfigError, envInt } from '@pitboss/platform-config';

import { DEFAULT_MAX_SKEW_MS } from './verify-request';

type Env = Readonly<Record<string, string | undefined>>;

/** `SIGNATURE_MAX_SKEW_MS`: how far `X-Timestamp` may be from server time, 300000 (5 minutes) unless set. */
export function signatureMaxSkewMsFromEnv(env: Env = process.env): number {
  const value = envInt('SIGNATURE_MAX_SKEW_MS', DEFAULT_MAX_SKEW_MS, env);
  if (value < 1_000) throw new ConfigError(`SIGNATURE_MAX_SKEW_MS must be at least 1000, got ${value}`);
  return value;
}
