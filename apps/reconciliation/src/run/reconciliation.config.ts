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
  /** UTC time of day (minutes after midnight) from which the service runs yesterday's reconciliation; null: off. */
  readonly scheduleMinuteUtc: number | null;
  /** How often the schedule and the detectors look for work. */
  readonly checkIntervalMs: number;
  /** A settlement.requested with neither bet.settled nor settlement.compensated after this long alerts. */
  readonly settlementTimeoutMs: number;
}

/** Nest injection token of the service's ReconciliationConfig. */
export const RECONCILIATION_CONFIG = Symbol('RECONCILIATION_CONFIG');

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
    scheduleMinuteUtc: scheduleMinute(envString('RECON_SCHEDULE_UTC', '02:00', env)),
    checkIntervalMs: envInt('RECON_CHECK_INTERVAL_MS', 60_000, env),
    settlementTimeoutMs: envInt('RECON_SETTLEMENT_TIMEOUT_S', 900, env) * 1000,
  };
}

/** `HH:MM` (UTC) as minutes after midnight; `off` disables the scheduled run. */
function scheduleMinute(value: string): number | null {
  if (value === 'off') return null;
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!match) throw new ConfigError(`RECON_SCHEDULE_UTC must be HH:MM (UTC) or off, got "${value}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}
