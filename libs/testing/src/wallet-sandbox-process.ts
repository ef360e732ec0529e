import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import { createPool } from '@pitboss/event-store';
import { infrastructureConfig } from '@pitboss/platform-config';

import { expectEventually } from './expect-eventually';

const WORKSPACE = join(__dirname, '../../..');
const SANDBOX_MAIN = join(WORKSPACE, 'tools/wallet-sandbox/src/main.ts');

export interface WalletSandboxOptions {
  /** Postgres schema of its ledger; default a fresh `ws_<random>` one, dropped by `stop()`. */
  readonly schema?: string;
  /** Wallet API port; default one the OS picks (read back from the sandbox's "listening" line). */
  readonly port?: number;
  readonly adminPort?: number;
  /** Extra environment for the sandbox process. */
  readonly env?: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
}

export interface MoneyAmount {
  readonly minor_units: number;
  readonly currency: string;
}

export interface SandboxAccountSetup {
  readonly tenantId: string;
  readonly playerId: string;
  /** Default EUR. */
  readonly currency?: string;
  /** Cash balance to SET (not add); left out: 0 for a new account, unchanged for an existing one. */
  readonly cash?: number;
  readonly bonus?: number;
  readonly blocked?: boolean;
}

export interface SandboxAccount {
  readonly tenant_id: string;
  readonly player_id: string;
  readonly currency: string;
  readonly cash: MoneyAmount;
  readonly bonus: MoneyAmount;
  readonly blocked: boolean;
}

export type SandboxOperation = 'debit' | 'credit' | 'rollback' | 'convert' | 'forfeit' | 'balance';

/** `PUT /admin/faults`: fields left out are reset to "no fault". */
export interface SandboxFaults {
  readonly latency_ms?: number;
  readonly error_rate?: number;
  readonly timeout_rate?: number;
  readonly offline?: boolean;
  readonly commit_then_drop_rate?: number;
  readonly operations?: readonly SandboxOperation[];
}

export interface SandboxLedgerEntry {
  readonly id: number;
  readonly tenant_id: string;
  readonly player_id: string;
  readonly transaction_id: string;
  readonly kind: 'debit' | 'credit' | 'rollback' | 'convert' | 'forfeit';
  readonly amount: MoneyAmount;
  readonly cash_delta_minor_units: number;
  readonly bonus_delta_minor_units: number;
  readonly reverses_transaction_id: string | null;
  readonly bet_id: string | null;
  readonly round_id: string | null;
  /** The bonus grant whose funds the movement touched. */
  readonly grant_id: string | null;
  readonly created_at: string;
}

export interface SandboxLedgerFilter {
  readonly tenantId?: string;
  readonly playerId?: string;
  readonly betId?: string;
  readonly roundId?: string;
  readonly transactionId?: string;
  readonly grantId?: string;
}

export interface SandboxTotals {
  readonly tenant_id: string | null;
  readonly totals: readonly {
    readonly kind: SandboxLedgerEntry['kind'];
    readonly currency: string;
    readonly count: number;
    readonly minor_units: number;
    readonly cash_delta_minor_units: number;
    readonly bonus_delta_minor_units: number;
  }[];
  readonly accounts: readonly {
    readonly currency: string;
    readonly count: number;
    readonly cash_minor_units: number;
    readonly bonus_minor_units: number;
  }[];
}

export interface WalletSandboxAdmin {
  createAccount(setup: SandboxAccountSetup): Promise<SandboxAccount>;
  account(tenantId: string, playerId: string): Promise<SandboxAccount>;
  /** The account's balances (cash and bonus) as the admin API sees them. */
  balance(tenantId: string, playerId: string): Promise<{ cash: MoneyAmount; bonus: MoneyAmount }>;
  setFaults(faults: SandboxFaults): Promise<void>;
  clearFaults(): Promise<void>;
  ledger(filter?: SandboxLedgerFilter): Promise<SandboxLedgerEntry[]>;
  totals(tenantId?: string): Promise<SandboxTotals>;
}

export interface WalletSandboxProcess {
  /** The wallet API: what `WALLET_URL` of the service under test points at. */
  readonly url: string;
  readonly adminUrl: string;
  readonly schema: string;
  readonly adminToken: string;
  readonly admin: WalletSandboxAdmin;
  /** The sandbox's log lines, for failure messages. */
  readonly output: readonly string[];
  /** Stops the process and, when this helper chose the schema, drops it. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The wallet sandbox (tools/wallet-sandbox) as a real child process, for int tests of anything that calls the
 * wallet. It runs from source through tsx (no build step), on ports the OS picks, in its own schema, and is
 * ready (migrated, listening, Postgres answering) when the promise resolves.
 *
 *   const sandbox = await startWalletSandbox();
 *   afterAll(() => sandbox.stop());
 *   await sandbox.admin.createAccount({ tenantId, playerId, cash: 10_000 });
 *   // point the service under test at WALLET_URL=sandbox.url
 *   await sandbox.admin.setFaults({ timeout_rate: 1, operations: ['credit'] });
 *
 * The child exits by itself when the test process dies (it watches its stdin), so no sandbox outlives a run.
 */
export async function startWalletSandbox(options: WalletSandboxOptions = {}): Promise<WalletSandboxProcess> {
  const ownSchema = options.schema === undefined;
  const schema = options.schema ?? `ws_${randomBytes(5).toString('hex')}`;
  const adminToken = randomBytes(12).toString('hex');
  const child = spawn(process.execPath, ['--import', 'tsx', SANDBOX_MAIN], {
    cwd: WORKSPACE,
    env: {
      OTEL_TRACES_EXPORTER: 'zipkin', // the stack's Zipkin locally, unless the environment says otherwise
      ...process.env,
      ...options.env,
      WALLET_SANDBOX_SCHEMA: schema,
      WALLET_SANDBOX_PORT: String(options.port ?? 0),
      WALLET_SANDBOX_ADMIN_PORT: String(options.adminPort ?? 0),
      WALLET_SANDBOX_ADMIN_TOKEN: adminToken,
      WALLET_SANDBOX_EXIT_WITH_STDIN: 'true',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = new Promise<{ api: string; admin: string }>((resolve, reject) => {
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        output.push(line);
        const urls = listeningUrls(line);
        if (urls !== undefined) resolve(urls);
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code) => reject(new Error(`wallet sandbox exited (${code}):\n${output.join('\n')}`)));
    child.once('error', reject);
  });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await terminate(child, exited);
      if (ownSchema) await dropSchema(schema);
    })();
    return stopped;
  };

  try {
    const urls = await withDeadline(listening, options.startTimeoutMs ?? 60_000, () => output.join('\n'));
    await expectEventually(async () => {
      const response = await fetch(`${urls.admin}/health/ready`);
      if (response.status !== 200) throw new Error(`wallet sandbox not ready: ${await response.text()}`);
    });
    return {
      url: urls.api,
      adminUrl: urls.admin,
      schema,
      adminToken,
      admin: walletSandboxAdmin(urls.admin, adminToken),
      output,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function listeningUrls(line: string): { api: string; admin: string } | undefined {
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (entry['event'] !== 'listening') return undefined;
    const api = entry['api_url'];
    const admin = entry['admin_url'];
    return typeof api === 'string' && typeof admin === 'string' ? { api, admin } : undefined;
  } catch {
    return undefined;
  }
}

/** The sandbox's admin API (tools/wallet-sandbox/README.md), for a sandbox this process started or not. */
export function walletSandboxAdmin(adminUrl: string, adminToken: string): WalletSandboxAdmin {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${adminUrl}${path}`, {
      method,
      headers: { 'x-admin-token': adminToken, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`wallet sandbox ${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  };
  const account = (tenantId: string, playerId: string) =>
    call<SandboxAccount>(
      'GET',
      `/admin/accounts/${encodeURIComponent(tenantId)}/${encodeURIComponent(playerId)}`,
    );
  return {
    createAccount: (setup) =>
      call('POST', '/admin/accounts', {
        tenant_id: setup.tenantId,
        player_id: setup.playerId,
        currency: setup.currency ?? 'EUR',
        cash_minor_units: setup.cash,
        bonus_minor_units: setup.bonus,
        blocked: setup.blocked,
      }),
    account,
    async balance(tenantId, playerId) {
      const { cash, bonus } = await account(tenantId, playerId);
      return { cash, bonus };
    },
    async setFaults(faults) {
      await call('PUT', '/admin/faults', faults);
    },
    async clearFaults() {
      await call('DELETE', '/admin/faults');
    },
    async ledger(filter = {}) {
      const query = new URLSearchParams({ limit: '10000' });
      const names = {
        tenantId: 'tenant_id',
        playerId: 'player_id',
        betId: 'bet_id',
        roundId: 'round_id',
        grantId: 'grant_id',
      } as const;
      for (const [field, name] of Object.entries(names)) {
        const value = filter[field as keyof typeof names];
        if (value !== undefined) query.set(name, value);
      }
      if (filter.transactionId !== undefined) query.set('transaction_id', filter.transactionId);
      return (await call<{ entries: SandboxLedgerEntry[] }>('GET', `/admin/ledger?${query}`)).entries;
    },
    totals: (tenantId) =>
      call(
        'GET',
        `/admin/totals${tenantId === undefined ? '' : `?tenant_id=${encodeURIComponent(tenantId)}`}`,
      ),
  };
}

async function terminate(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(killer);
}

async function dropSchema(schema: string): Promise<void> {
  const pool = createPool({
    databaseUrl: infrastructureConfig().databaseUrl,
    schema: 'public',
    maxConnections: 1,
  });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await pool.end();
  }
}

async function withDeadline<T>(promise: Promise<T>, ms: number, context: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`wallet sandbox did not start within ${ms} ms:\n${context()}`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
