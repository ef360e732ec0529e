import { type Socket } from 'node:net';

import { type Pool } from 'pg';

import { createPool, runMigrations } from '@pitboss/event-store';

import { FaultPlan } from './faults/fault-plan';
import { adminApiHandler } from './http/admin-api.handler';
import { ApiListener } from './http/api-listener';
import { SandboxMetrics } from './http/sandbox-metrics';
import { walletApiHandler } from './http/wallet-api.handler';
import { WalletLedger } from './ledger/wallet-ledger';
import { walletSandboxMigrations } from './migrations/wallet-sandbox-migrations';
import { type SandboxLog, sandboxLog } from './sandbox-log';
import { type WalletSandboxConfig } from './wallet-sandbox.config';

/**
 * The running sandbox: its schema migrated, the wallet API and the admin API on their own listeners, so the
 * admin API can take the wallet API "offline" and bring it back.
 */
export class WalletSandbox {
  private constructor(
    private readonly pool: Pool,
    private readonly api: ApiListener,
    private readonly admin: ApiListener,
    private readonly heldSockets: Set<Socket>,
  ) {}

  static async start(config: WalletSandboxConfig, log: SandboxLog = sandboxLog): Promise<WalletSandbox> {
    await runMigrations({
      databaseUrl: config.databaseUrl,
      schema: config.schema,
      migrations: walletSandboxMigrations,
    });
    const pool = createPool({
      databaseUrl: config.databaseUrl,
      schema: config.schema,
      maxConnections: config.maxConnections,
      applicationName: 'wallet-sandbox',
    });
    const faults = new FaultPlan();
    const heldSockets = new Set<Socket>();
    const metrics = new SandboxMetrics();
    const api = new ApiListener(
      walletApiHandler({ ledger: new WalletLedger(pool), pool, faults, heldSockets, log, metrics }),
      config.host,
      config.apiPort,
    );
    const setOffline = async (offline: boolean) => {
      if (offline === !api.isOpen) return;
      if (offline) await api.close();
      else await api.open();
      log('log', offline ? 'wallet API offline' : 'wallet API online', { api_url: api.url });
    };
    const admin = new ApiListener(
      adminApiHandler({ pool, faults, adminToken: config.adminToken, setOffline, log, metrics }),
      config.host,
      config.adminPort,
    );
    try {
      await api.open();
      await admin.open();
    } catch (error) {
      await Promise.all([api.close(), admin.close()]);
      await pool.end();
      throw error;
    }
    return new WalletSandbox(pool, api, admin, heldSockets);
  }

  get apiUrl(): string {
    return this.api.url;
  }

  get adminUrl(): string {
    return this.admin.url;
  }

  async stop(): Promise<void> {
    for (const socket of this.heldSockets) socket.destroy();
    await Promise.all([this.api.close(), this.admin.close()]);
    await this.pool.end();
  }
}
