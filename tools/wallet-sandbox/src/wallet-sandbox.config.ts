import { assertSchemaName } from '@pitboss/event-store';
import { envInt, envString, infrastructureConfig } from '@pitboss/platform-config';

type Env = Readonly<Record<string, string | undefined>>;

export interface WalletSandboxConfig {
  readonly databaseUrl: string;
  readonly schema: string;
  readonly host: string;
  /** Wallet API port; 0 lets the OS choose (the bound port is logged). */
  readonly apiPort: number;
  readonly adminPort: number;
  readonly adminToken: string;
  readonly maxConnections: number;
}

/** The sandbox's settings (tools/wallet-sandbox/README.md lists them). */
export function walletSandboxConfig(env: Env = process.env): WalletSandboxConfig {
  return {
    databaseUrl: infrastructureConfig(env).databaseUrl,
    schema: assertSchemaName(envString('WALLET_SANDBOX_SCHEMA', 'wallet_sandbox', env)),
    // Loopback by default: the admin token's default is for local use only.
    host: envString('WALLET_SANDBOX_HOST', '127.0.0.1', env),
    apiPort: envInt('WALLET_SANDBOX_PORT', 4000, env),
    adminPort: envInt('WALLET_SANDBOX_ADMIN_PORT', 4001, env),
    adminToken: envString('WALLET_SANDBOX_ADMIN_TOKEN', 'sandbox-admin', env),
    maxConnections: envInt('WALLET_SANDBOX_DB_CONNECTIONS', 20, env),
  };
}
