import { randomBytes } from 'node:crypto';

import { createPool } from '@pitboss/event-store';
import { infrastructureConfig } from '@pitboss/platform-config';

import { type RelayProcess, startRelayProcess } from './relay-process';
import { type ServiceProcess, startServiceProcess } from './service-process';
import { signedHttpClient, type SignedHttpClient } from './signed-http-client';
import { provisionTestTopics, type TestTopics } from './test-topics';
import { startWalletSandbox, type WalletSandboxProcess } from './wallet-sandbox-process';

export interface MoneyFleetOptions {
  readonly label: string;
  /** Start settle-worker too (default true); tests of the gateway alone leave it out. */
  readonly settleWorker?: boolean;
  readonly gatewayEnv?: Readonly<Record<string, string>>;
  readonly workerEnv?: Readonly<Record<string, string>>;
}

export interface MoneyFleet {
  readonly tenantId: string;
  readonly secret: string;
  readonly topics: TestTopics;
  readonly wallet: WalletSandboxProcess;
  readonly gateway: ServiceProcess;
  readonly worker: ServiceProcess | undefined;
  readonly relay: RelayProcess;
  readonly gatewaySchema: string;
  readonly workerSchema: string;
  /** Signed as the fleet's tenant. */
  readonly http: SignedHttpClient;
  /** Every process's environment, to restart one with the same settings. */
  readonly env: { readonly gateway: Record<string, string>; readonly worker: Record<string, string> };
  startWorker(): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

/**
 * The money path as production runs it, on the test's own topics, schemas and tenant: wallet sandbox,
 * bet-gateway, settle-worker and an outbox relay for both services' schemas, all real processes.
 */
export async function startMoneyFleet(options: MoneyFleetOptions): Promise<MoneyFleet> {
  const suffix = randomBytes(4).toString('hex');
  const tenantId = `t-${options.label}-${suffix}`;
  const secret = randomBytes(16).toString('hex');
  const gatewaySchema = `gw_${options.label}_${suffix}`.replace(/-/g, '_');
  const workerSchema = `sw_${options.label}_${suffix}`.replace(/-/g, '_');
  const topics = await provisionTestTopics(options.label);
  const wallet = await startWalletSandbox();
  const shared = { ...topics.env, WALLET_URL: wallet.url, TENANT_SECRETS: `${tenantId}:${secret}` };
  const env = {
    gateway: { ...shared, DATABASE_SCHEMA: gatewaySchema, ...options.gatewayEnv },
    worker: { ...shared, DATABASE_SCHEMA: workerSchema, ...options.workerEnv },
  };
  const started: { kill(): Promise<void> }[] = [];
  const stop = async () => {
    await Promise.all(started.map((process) => process.kill().catch(() => undefined)));
    await wallet.stop();
    await topics.cleanup();
    await dropSchemas([gatewaySchema, workerSchema]);
  };
  try {
    const gateway = await startServiceProcess('bet-gateway', { env: env.gateway });
    started.push(gateway);
    const startWorker = async () => {
      const worker = await startServiceProcess('settle-worker', { env: env.worker });
      started.push(worker);
      return worker;
    };
    const worker = options.settleWorker === false ? undefined : await startWorker();
    const relaySources = worker === undefined ? [gatewaySchema] : [gatewaySchema, workerSchema];
    const relay = startRelayProcess(relaySources, topics.env);
    started.push({ kill: () => relay.kill('SIGTERM') });
    await Promise.all(relaySources.map((source) => relay.waitForRole(source, 'active')));
    return {
      tenantId,
      secret,
      topics,
      wallet,
      gateway,
      worker,
      relay,
      gatewaySchema,
      workerSchema,
      http: signedHttpClient(gateway.url, tenantId, secret),
      env,
      startWorker,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function dropSchemas(schemas: readonly string[]): Promise<void> {
  const admin = createPool({
    databaseUrl: infrastructureConfig().databaseUrl,
    schema: 'public',
    maxConnections: 1,
  });
  try {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
  }
}
