import { type Pool } from 'pg';

import { type EventCollector, type WalletSandboxProcess } from '@pitboss/testing';

import { type CostSample } from './fleet-cost';
import { grantLatencies, type GrantTimes, summarize } from './grants-figures';
import { checkGrantLedger, type GrantRow, type LedgerCheck } from './grants-ledger-check';
import { TENANT } from './grants-setup';
import { type TrafficTally } from './grants-traffic';

/** bonus-grant's consumer of the grant triggers (GRANT_EVENTS_CONSUMER), whose inbox says what it has applied. */
const GRANTS_CONSUMER = 'bonus-grant-grants';

export interface GrantResultsInput {
  readonly db: Pool;
  readonly sandbox: WalletSandboxProcess;
  readonly collector: EventCollector;
  readonly tally: TrafficTally;
  readonly offers: { readonly deposit: string; readonly budget: string; readonly api: string };
  readonly budget: { readonly budgetMinor: number; readonly maxGrants: number };
  readonly settleTimeoutMs: number;
  readonly aborted: () => boolean;
  /** Read the moment everything is settled (the end of the cost window). */
  readonly whenSettled: () => Promise<CostSample>;
}

export interface GrantResults {
  readonly settledSample: CostSample;
  readonly settled: boolean;
  readonly times: GrantTimes[];
  readonly check: LedgerCheck;
  readonly byOffer: Record<string, number>;
  readonly budgetRefusals: number;
  readonly latencies: Record<string, unknown>;
  readonly kafka: Record<string, unknown>;
}

/**
 * Waits until bonus-grant has applied every distinct deposit event the bench published and no grant is still
 * `issued` (its credit in flight), then reads the grants, their streams and the sandbox's ledger.
 */
export async function collectGrantResults(input: GrantResultsInput): Promise<GrantResults> {
  const { db } = input;
  const until = Date.now() + input.settleTimeoutMs;
  let settled = false;
  while (!settled && Date.now() < until && !input.aborted()) {
    const { rows } = await db.query(
      `SELECT (SELECT count(*) FROM inbox WHERE consumer = $1 AND event_id = ANY($2::uuid[]))::int AS applied,
              (SELECT count(*) FROM grants WHERE status = 'issued')::int AS in_flight`,
      [GRANTS_CONSUMER, [...input.tally.eventIds]],
    );
    settled = rows[0].applied >= input.tally.eventIds.size && rows[0].in_flight === 0;
    if (!settled) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const settledSample = await input.whenSettled();

  const grants = (
    await db.query(
      `SELECT grant_id, offer_id, trigger, trigger_ref, amount_minor_units::text AS amount, status FROM grants`,
    )
  ).rows.map((row): GrantRow => ({
    grantId: row.grant_id,
    offerId: row.offer_id,
    trigger: row.trigger,
    triggerRef: row.trigger_ref,
    amountMinor: Number(row.amount),
    status: row.status,
  }));
  const streamTimes = await db.query(
    `SELECT stream_id, min(occurred_at) FILTER (WHERE event_type = 'grant.issued') AS issued,
            min(occurred_at) FILTER (WHERE event_type = 'bonus.issued') AS credited
       FROM events WHERE stream_id LIKE 'grant:%' GROUP BY stream_id`,
  );
  const byStream = new Map(streamTimes.rows.map((row) => [row.stream_id as string, row]));
  const times: GrantTimes[] = grants.map((grant) => {
    const row = byStream.get(`grant:${TENANT}:${grant.grantId}`);
    return {
      grantId: grant.grantId,
      trigger: grant.trigger,
      triggerRef: grant.triggerRef,
      issuedAt: row?.issued ? new Date(row.issued).getTime() : NaN,
      creditedAt: row?.credited ? new Date(row.credited).getTime() : undefined,
    };
  });
  const ledger = (await input.sandbox.admin.ledger({ tenantId: TENANT })).map((entry) => ({
    transactionId: entry.transaction_id,
    kind: entry.kind,
    grantId: entry.grant_id,
    amountMinor: entry.amount.minor_units,
  }));
  const check = checkGrantLedger({
    tenantId: TENANT,
    grants,
    answers: input.tally.answers,
    depositIds: [...input.tally.depositSentAt.keys()],
    depositOfferId: input.offers.deposit,
    ledger,
    budget: { offerId: input.offers.budget, ...input.budget },
  });
  const names = Object.fromEntries(Object.entries(input.offers).map(([name, id]) => [id, name]));
  const byOffer: Record<string, number> = {};
  for (const grant of grants) {
    const key = `${names[grant.offerId] ?? grant.offerId} (${grant.trigger})`;
    byOffer[key] = (byOffer[key] ?? 0) + 1;
  }
  const latency = grantLatencies(times, {
    deposits: input.tally.depositSentAt,
    api: input.tally.apiSentAt(),
  });
  const announced = input.collector.received.filter(({ envelope }) => envelope.event_type === 'bonus.issued');
  const announcedIds = new Set(
    announced.map(({ envelope }) => (envelope.payload as { grant_id: string }).grant_id),
  );
  return {
    settledSample,
    settled,
    times,
    check,
    byOffer,
    budgetRefusals: input.tally.answers.filter((answer) => answer.code === 'OFFER_BUDGET_EXHAUSTED').length,
    latencies: {
      deposit_to_credited: summarize(latency.depositToCredited),
      api_to_credited: summarize(latency.apiToCredited),
      issued_to_credited: summarize(latency.issuedToCredited),
      untimed: latency.untimed,
    },
    kafka: {
      topic: 'promo.grants.v1',
      bonus_issued_deliveries: announced.length,
      grants_announced: announcedIds.size,
      note: 'read when the grants settled: the relay may still be publishing the last ones; duplicates are the relay’s at-least-once',
    },
  };
}
