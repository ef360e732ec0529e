import { expectEventually, type SignedHttpClient } from '@pitboss/testing';

import { type DemoBook, type DemoPlayer } from './demo-book';
import { type RefusalCase } from './demo-refusals';
import { type Fleet } from './fleet';
import { formatLatencies } from './latency-stats';
import { type LedgerComparison } from './ledger-check';
import { type OutcomeTally } from './settlement-outcomes';

export interface StatusCheck {
  readonly checked: number;
  /** `bet_id: expected → actual` for every bet whose GET /v1/bets/:id disagrees with the run's answers. */
  readonly wrong: readonly string[];
}

/**
 * bet-gateway's own view (`GET /v1/bets/:id`, it projects rgs.settlements.v1 back into the bet) must agree:
 * every settled bet `credited`, every rolled-back one `rolled_back`. Polled, as the projection is asynchronous.
 */
export async function checkGatewayStatuses(http: SignedHttpClient, book: DemoBook): Promise<StatusCheck> {
  const expected = new Map<string, string>([
    ...book.settlements.map(({ betId }) => [betId, 'credited'] as const),
    ...book.rollbacks.map(({ betId }) => [betId, 'rolled_back'] as const),
  ]);
  let wrong = [...expected.keys()];
  const actual = new Map<string, string>();
  await expectEventually(
    async () => {
      const still: string[] = [];
      // A few at a time: the demo is a polite client of the tenant's rate limit.
      for (let at = 0; at < wrong.length; at += 16) {
        await Promise.all(
          wrong.slice(at, at + 16).map(async (betId) => {
            const response = await http.get<{ status?: string; error?: { code: string } }>(
              `/v1/bets/${encodeURIComponent(betId)}`,
            );
            const status = response.body?.status ?? response.body?.error?.code ?? `HTTP ${response.status}`;
            actual.set(betId, status);
            if (status !== expected.get(betId)) still.push(betId);
          }),
        );
      }
      wrong = still;
      if (wrong.length > 0) throw new Error(`${wrong.length} bets not final yet`);
    },
    { timeoutMs: 20_000, intervalMs: 250 },
  ).catch(() => undefined); // reported below
  return {
    checked: expected.size,
    wrong: wrong.map((betId) => `${betId}: ${expected.get(betId)} → ${actual.get(betId)}`),
  };
}

export interface DemoResults {
  readonly fleet: Fleet;
  readonly tenantId: string;
  readonly book: DemoBook;
  readonly refusals: readonly RefusalCase[];
  readonly outcomes: OutcomeTally;
  readonly statuses: StatusCheck;
  readonly balances: ReadonlyArray<{ player: DemoPlayer; actual: number }>;
  readonly ledger: LedgerComparison;
  readonly trafficMs: number;
}

/** Prints the report and answers the exit code: 0 only when every money check holds. */
export function printDemoReport(results: DemoResults): number {
  const { book, outcomes, statuses, balances, ledger, refusals } = results;
  const section = (title: string) => console.log(`\n== demo: ${title}`);
  const checks: Array<{ name: string; ok: boolean }> = [];

  section(`traffic (${(results.trafficMs / 1_000).toFixed(1)} s, signed as tenant ${results.tenantId})`);
  const transports = [...book.transports]
    .map(([transport, count]) => `${count} over ${transport}`)
    .join(', ');
  console.log(`  bets authorized        ${book.authorizedBets.length} (${transports})`);
  console.log(`  settlements accepted   ${book.settlements.length} (202 pending_credit)`);
  console.log(`  rollbacks accepted     ${book.rollbacks.length} (202 rollback_pending)`);
  console.log(
    `  refused, by call+code  ${
      [...book.refusals]
        .sort()
        .map(([code, n]) => `${code} ×${n}`)
        .join(', ') || 'none'
    }`,
  );
  console.log(`  authorize latency      ${formatLatencies(book.authorizeLatencies)} (wallet debit included)`);
  console.log(`  settle-accept latency  ${formatLatencies(book.settleLatencies)}`);

  section('requests an aggregator gets wrong (none may move money)');
  for (const refusal of refusals) {
    console.log(
      `  ${refusal.ok ? 'ok  ' : 'BAD '} ${refusal.name.padEnd(46)} ${refusal.transport.padEnd(5)} → ${refusal.got}` +
        (refusal.ok ? '' : ` (expected ${refusal.expected})`),
    );
  }
  checks.push({ name: 'error codes as documented', ok: refusals.every((refusal) => refusal.ok) });

  section('outcomes on Kafka (rgs.settlements.v1, decoded through the registry)');
  console.log(`  settlements credited    ${outcomes.credited} (bet.settled; a loss is credited as 0)`);
  console.log(
    `  settlements compensated ${outcomes.compensated} (settlement.compensated: credit budget exhausted)`,
  );
  console.log(`  rollbacks               ${outcomes.rolledBack} (bet.rolled_back: stake returned)`);
  console.log(`  missing                 ${outcomes.missing.length}${list(outcomes.missing)}`);
  console.log(`  duplicated              ${outcomes.duplicated.length}${list(outcomes.duplicated)}`);
  console.log(
    `  settle lag              ${formatLatencies(outcomes.settleLagsMs, [50, 95], true)} (settle accepted → bet.settled consumed)`,
  );
  console.log(
    `  rollback lag            ${formatLatencies(outcomes.rollbackLagsMs, [50, 95], true)} (rollback accepted → bet.rolled_back consumed)`,
  );
  checks.push({
    name: 'every accepted settlement credited',
    ok: outcomes.credited === book.settlements.length,
  });
  checks.push({
    name: 'every accepted rollback rolled back',
    ok: outcomes.rolledBack === book.rollbacks.length,
  });
  checks.push({
    name: 'no outcome missing or duplicated',
    ok: outcomes.missing.length === 0 && outcomes.duplicated.length === 0,
  });

  section('bet-gateway view (GET /v1/bets/:id)');
  console.log(
    `  ${statuses.checked - statuses.wrong.length}/${statuses.checked} bets credited or rolled_back as answered${list(statuses.wrong)}`,
  );
  checks.push({ name: 'gateway statuses final', ok: statuses.wrong.length === 0 });

  section('wallet balances: start − stakes + wins + rolled-back stakes');
  let balancesOk = true;
  for (const { player, actual } of balances) {
    const ok = actual === player.expectedCash;
    balancesOk &&= ok;
    console.log(
      `  ${ok ? 'ok  ' : 'BAD '} ${player.playerId.padEnd(34)} ${player.client.transport.padEnd(5)} ${player.currency} ` +
        `start ${String(player.startCash).padStart(7)}  expected ${String(player.expectedCash).padStart(7)}  ` +
        `wallet ${String(actual).padStart(7)}${ok ? '' : `  off by ${actual - player.expectedCash}`}`,
    );
  }
  checks.push({ name: 'every balance exact', ok: balancesOk });

  section('wallet ledger totals (count / minor units) for the tenant vs the gateway answers');
  for (const line of ledger.lines) console.log(`  ${line}`);
  checks.push({ name: 'ledger: 0 lost, 0 duplicated', ok: ledger.ok });

  section('logs');
  console.log(
    `  ${results.fleet.logDir}/<service>.log (wallet-sandbox, bet-gateway, settle-worker, outbox-relay, …), one JSON object per line`,
  );
  if (results.fleet.nocUrl) {
    section('NOC');
    console.log(
      `  ${results.fleet.nocUrl} (the window's figures; DEMO_KEEP_RUNNING=1 keeps it up after the run)`,
    );
  }

  const failed = checks.filter((check) => !check.ok);
  console.log(
    failed.length === 0
      ? `\ndemo: OK, ${checks.length} checks hold: ${checks.map((check) => check.name).join('; ')}`
      : `\ndemo: FAILED: ${failed.map((check) => check.name).join('; ')}`,
  );
  return failed.length === 0 ? 0 : 1;
}

function list(items: readonly string[]): string {
  if (items.length === 0) return '';
  return `: ${items.slice(0, 5).join(', ')}${items.length > 5 ? ` … (${items.length - 5} more)` : ''}`;
}
