import { ConfigError, envInt, envString } from '@pitboss/platform-config';
import { DEFAULT_DISCREPANCY_THRESHOLD } from '@pitboss/reconciliation-domain';

type Env = Readonly<Record<string, string | undefined>>;

export interface ReconciliationConfig {
  /** Base URL of the wallet's report API (the sandbox's admin API locally). */
  readonly walletReportUrl: string;
  /** Sent as X-Admin-Token; empty: no header. */
  readonly walletReportToken: string;
  readonly discrepancyThreshold: number;
  /** Report rows looked up in the mirror per query. */
  readonly batchRows: number;
}

/** RECON_* settings (docs/configuration.md); a bad threshold stops the process with a ConfigError. */
export function reconciliationConfig(env: Env = process.env): ReconciliationConfig {
  const rawThreshold = env['RECON_DISCREPANCY_THRESHOLD'];
  const threshold =
    rawThreshold === undefined || rawThreshold === '' ? DEFAULT_DISCREPANCY_THRESHOLD : Number(rawThreshold);
  if (!(threshold >= 0 && threshold <= 1))
    throw new ConfigError(`RECON_DISCREPANCY_THRESHOLD must be a number in [0, 1], got "${rawThreshold}"`);
  return {
    walletReportUrl: envString('RECON_WALLET_REPORT_URL', 'http://127.0.0.1:4001', env),
    walletReportToken: envString('RECON_WALLET_REPORT_TOKEN', '', env),
    discrepancyThreshold: threshold,
    batchRows: envInt('RECON_BATCH_ROWS', 1000, env),
  };
}
