import { envInt, envString } from '@pitboss/platform-config';

type Env = Readonly<Record<string, string | undefined>>;

export interface WalletClientConfig {
  /** The wallet's base URL (`WALLET_URL`, default the local sandbox http://127.0.0.1:4000). */
  readonly baseUrl: string;
  /** Deadline of one call, connect to last byte (`WALLET_TIMEOUT_MS`, default 2000). */
  readonly timeoutMs: number;
  /** Consecutive uncertain outcomes that open the circuit (`WALLET_BREAKER_FAILURES`, default 5). */
  readonly breakerFailures: number;
  /** How long the circuit stays open before one trial call (`WALLET_BREAKER_COOLDOWN_MS`, default 5000). */
  readonly breakerCooldownMs: number;
  /** Keep-alive connections to the wallet (`WALLET_MAX_CONNECTIONS`, default 64). */
  readonly maxConnections: number;
}

export function walletClientConfig(env: Env = process.env): WalletClientConfig {
  return {
    baseUrl: envString('WALLET_URL', 'http://127.0.0.1:4000', env),
    timeoutMs: envInt('WALLET_TIMEOUT_MS', 2_000, env),
    breakerFailures: envInt('WALLET_BREAKER_FAILURES', 5, env),
    breakerCooldownMs: envInt('WALLET_BREAKER_COOLDOWN_MS', 5_000, env),
    maxConnections: envInt('WALLET_MAX_CONNECTIONS', 64, env),
  };
}
