import { type PostgresEventStore, type Transaction } from '@pitboss/event-store';
import { betIdOfCreditKey, type Discrepancy } from '@pitboss/reconciliation-domain';

import { raiseDetectorAlert } from '../detectors/detector-alerts';
import { type DetectorMetrics } from '../detectors/detector-metrics';
import { compensatedBets } from '../detectors/settlement-watch';

/**
 * compensated_but_credited, from a run's findings: a credit on the wallet's report the platform does not expect
 * (unexpected_in_wallet, or a late-booked one) for a bet whose settlement was compensated — the wallet credited
 * after all, and the compensation pays the player a second time. Alerted once per key, in the run's transaction.
 */
export async function raiseCompensatedButCredited(
  tx: Transaction,
  eventStore: PostgresEventStore,
  runId: string,
  request: { readonly tenantId: string; readonly date: string },
  found: readonly Discrepancy[],
  metrics?: DetectorMetrics,
): Promise<void> {
  const credits = found.flatMap((d) => {
    const betId =
      d.class === 'unexpected_in_wallet' ? betIdOfCreditKey(request.tenantId, d.transactionKey) : null;
    return betId === null ? [] : [{ betId, discrepancy: d }];
  });
  const compensated = await compensatedBets(
    tx,
    request.tenantId,
    credits.map((c) => c.betId),
  );
  for (const { betId, discrepancy } of credits)
    if (compensated.has(betId))
      await raiseDetectorAlert(
        tx,
        eventStore,
        {
          detector: 'compensated_but_credited',
          tenantId: request.tenantId,
          playerId: discrepancy.playerId,
          transactionKey: discrepancy.transactionKey,
          kind: 'credit',
          expectedMinorUnits: null,
          actualMinorUnits: discrepancy.actualMinorUnits,
          currency: discrepancy.currency,
          runId,
          reportDate: request.date,
        },
        metrics,
      );
}
