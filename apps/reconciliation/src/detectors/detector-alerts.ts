import { randomUUID } from 'node:crypto';

import { type PostgresEventStore, type Transaction } from '@pitboss/event-store';
import { type Detector, type MovementKind } from '@pitboss/reconciliation-domain';

import { type DetectorMetrics } from './detector-metrics';

export interface DetectorAlert {
  readonly detector: Detector;
  readonly tenantId: string;
  readonly playerId: string;
  readonly transactionKey: string;
  readonly kind: MovementKind;
  readonly expectedMinorUnits: number | null;
  readonly actualMinorUnits: number | null;
  readonly currency: string;
  /** The run that found it (compensated_but_credited); the continuous ones use the alert's own id. */
  readonly runId?: string;
  /** YYYY-MM-DD (UTC): the run's day, or the day of detection. */
  readonly reportDate: string;
}

/**
 * Records one alert per detector and transaction key (`detector_alerts`), in the caller's transaction, with its
 * recon.v1 discrepancy.detected through the outbox; a key already alerted by the same detector is not alerted
 * again (a redelivered event, a rerun). True when it was new.
 */
export async function raiseDetectorAlert(
  tx: Transaction,
  eventStore: PostgresEventStore,
  alert: DetectorAlert,
  metrics?: DetectorMetrics,
): Promise<boolean> {
  const alertId = randomUUID();
  const inserted = await tx.query(
    `INSERT INTO detector_alerts (alert_id, detector, tenant_id, subject_key) VALUES ($1, $2, $3, $4)
     ON CONFLICT (detector, tenant_id, subject_key) DO NOTHING`,
    [alertId, alert.detector, alert.tenantId, alert.transactionKey],
  );
  if (inserted.rowCount !== 1) return false;
  await eventStore.appendToStream(
    tx,
    `recon-detector:${alertId}`,
    'no_stream',
    [
      {
        type: 'discrepancy.detected',
        data: {
          run_id: alert.runId ?? alertId,
          report_date: alert.reportDate,
          class: alert.detector,
          transaction_key: alert.transactionKey,
          kind: alert.kind,
          expected_minor_units: alert.expectedMinorUnits,
          actual_minor_units: alert.actualMinorUnits,
          currency: alert.currency,
          wallet_currency: null,
          detector: alert.detector,
        },
      },
    ],
    { tenantId: alert.tenantId, playerId: alert.playerId },
  );
  // Counted once the transaction is committed would be exact; a rolled-back alert is retried and counted then.
  metrics?.alerted(alert.detector, alert.tenantId);
  return true;
}
