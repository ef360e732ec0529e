import { ConfigError, envInt, envString } from '@pitboss/platform-config';

type Env = Readonly<Record<string, string | undefined>>;

export interface WalletClientConfig {
  /** The wallet's base URL (`WALLET_URL`, default the local sandbox http://127.0.0.1:4000). */
  readonly baseUrl: string;
  /** Deadline of one call, connect to last byte (`WALLET_TIMEOUT_MS`, default 2000). */
  readonly timeoutMs: number;
  /**
   * Percentage of the window's calls that, when strictly more were uncertain, opens the circuit
   * (`WALLET_BREAKER_FAILURE_PERCENT`, default 50).
   */
  readonly breakerFailurePercent: number;
  /** Sliding window the failure percentage is measured over (`WALLET_BREAKER_WINDOW_MS`, default 10000). */
  readonly breakerWindowMs: number;
  /** Calls the window must hold before the circuit may open (`WALLET_BREAKER_MIN_CALLS`, default 20). */
  readonly breakerMinCalls: number;
  /** How long the circuit stays open before one trial call (`WALLET_BREAKER_COOLDOWN_MS`, default 5000). */
  readonly breakerCooldownMs: number;
  /** Keep-alive connections to the wallet (`WALLET_MAX_CONNECTIONS`, default 64). */
  readonly maxConnections: number;
}

export function walletClientConfig(env: Env = process.env): WalletClientConfig {
  // The breaker no longer counts consecutive failures: a deployment still setting the old knob would believe
  // it tunes something, so it is told at start-up instead.
  if ((env['WALLET_BREAKER_FAILURES'] ?? '') !== '')
    throw new ConfigError(
      'WALLET_BREAKER_FAILURES is gone: the wallet breaker opens on a failure ratio ' +
        '(WALLET_BREAKER_FAILURE_PERCENT, WALLET_BREAKER_WINDOW_MS, WALLET_BREAKER_MIN_CALLS)',
    );
  const config = {
    baseUrl: envString('WALLET_URL', 'http://127.0.0.1:4000', env),
    timeoutMs: envInt('WALLET_TIMEOUT_MS', 2_000, env),
    breakerFailurePercent: envInt('WALLET_BREAKER_FAILURE_PERCENT', 50, env),
    breakerWindowMs: envInt('WALLET_BREAKER_WINDOW_MS', 10_000, env),
    breakerMinCalls: envInt('WALLET_BREAKER_MIN_CALLS', 20, env),
    breakerCooldownMs: envInt('WALLET_BREAKER_COOLDOWN_MS', 5_000, env),
    maxConnections: envInt('WALLET_MAX_CONNECTIONS', 64, env),
  };
  within('WALLET_BREAKER_FAILURE_PERCENT', config.breakerFailurePercent, 1, 99);
  within('WALLET_BREAKER_WINDOW_MS', config.breakerWindowMs, 100);
  within('WALLET_BREAKER_MIN_CALLS', config.breakerMinCalls, 1);
  within('WALLET_BREAKER_COOLDOWN_MS', config.breakerCooldownMs, 1);
  return config;
}

function within(name: string, value: number, min: number, max = Infinity): void {
  if (value < min || value > max)
    throw new ConfigError(
      `${name} must be at least ${min}${max === Infinity ? '' : ` and at most ${max}`}, got ${value}`,
    );
}
