import { randomInt } from 'node:crypto';

import { expectEventually } from '@pitboss/testing';

import { type AggregatorClient } from '../demo/aggregator-client';
import { type ExpectedLedger } from '../demo/ledger-check';
import { type sandboxAdmin } from '../demo/sandbox-admin';
import { type Accepted } from '../demo/settlement-outcomes';
import { refusedBetMovements } from './refused-bets';

export const CURRENCY = 'EUR';
const GAME_ID = 'book-of-pitboss';

/** What one phase of traffic (the warm-up, the measured window) did, as the bench client saw it. */
export interface Tally {
  /** Bet ids of this phase: `<player>-<phase>-<n>`, so phases never share a bet_id. */
  readonly phase: string;
  /** Shared by every phase of a run: the wallet's totals for the tenant hold all of them. */
  readonly ledger: ExpectedLedger;
  /** Bets whose authorize was refused: the wallet may still have booked (and the gateway reversed) their debit. */
  readonly refused: string[];
  readonly settled: Accepted[];
  readonly authorizeMs: number[];
  readonly settleMs: number[];
  readonly errors: Map<string, number>;
  started: number;
  /** Workers start no bet after this. */
  deadline: number;
  /** Workers start no bet once this many have started (undefined: no cap). */
  readonly cap: number | undefined;
}

export function newTally(
  phase: string,
  shared: Pick<Tally, 'ledger' | 'refused'>,
  cap: number | undefined,
): Tally {
  return {
    phase,
    ...shared,
    settled: [],
    authorizeMs: [],
    settleMs: [],
    errors: new Map(),
    started: 0,
    deadline: Infinity,
    cap,
  };
}

export async function openSession(
  client: AggregatorClient,
  playerId: string,
  tally: Tally,
): Promise<string | undefined> {
  const session = await client.openSession(
    { player_id: playerId, game_id: GAME_ID, currency: CURRENCY },
    `${playerId}:session`,
  );
  if (session.ok) return session.body.session_id;
  count(tally, 'open-session', session.code);
  return undefined;
}

/** One worker: its own player and session, bets back to back until the phase's budget (time or bets) is used up. */
export async function playBets(
  client: AggregatorClient,
  playerId: string,
  sessionId: string | undefined,
  tally: Tally,
  aborted: AbortSignal,
): Promise<void> {
  if (sessionId === undefined) return;
  while (
    !aborted.aborted &&
    (tally.cap === undefined || tally.started < tally.cap) &&
    Date.now() < tally.deadline
  ) {
    const betId = `${playerId}-${tally.phase}-${++tally.started}`;
    const roundId = `${betId}-round`;
    const stake = { minor_units: randomInt(1, 21) * 50, currency: CURRENCY };
    const authorized = await client.authorize(
      {
        bet_id: betId,
        round_id: roundId,
        session_id: sessionId,
        player_id: playerId,
        game_id: GAME_ID,
        game_type: 'slot',
        amount: stake,
      },
      `${betId}:authorize`,
    );
    if (!authorized.ok) {
      count(tally, 'authorize', authorized.code);
      tally.refused.push(betId);
      continue;
    }
    tally.authorizeMs.push(authorized.latencyMs);
    tally.ledger.add('debit', stake);
    const win = {
      minor_units: randomInt(100) < 45 ? 0 : (stake.minor_units / 10) * randomInt(1, 31),
      currency: CURRENCY,
    };
    const settled = await client.settle({ bet_id: betId, round_id: roundId, win }, `${betId}:settle`);
    if (!settled.ok) {
      count(tally, 'settle', settled.code);
      continue;
    }
    tally.settleMs.push(settled.latencyMs);
    // A loss too: the fleet's settle-worker credits zero wins as 0 (WALLET_ZERO_WIN_CREDIT=true).
    tally.ledger.add('credit', win);
    tally.settled.push({ betId, acceptedAt: Date.now() });
  }
}

/**
 * Each refused bet's own ledger once the fleet has settled it (an uncertain debit is rolled back by key):
 * nothing, or a debit and its rollback, which the expectation then counts. Waits, for all of them at once, until
 * none is half done or the time is up; answers what a refusal left moved.
 */
export async function expectRefusedBets(
  admin: ReturnType<typeof sandboxAdmin>,
  tenantId: string,
  tally: Pick<Tally, 'ledger' | 'refused'>,
  timeoutMs: number,
): Promise<string[]> {
  const judge = () =>
    Promise.all(
      tally.refused.map(async (betId) => ({
        betId,
        movements: refusedBetMovements(await admin.ledger({ tenantId, betId })),
      })),
    );
  const judged = await expectEventually(
    async () => {
      const all = await judge();
      if (all.some(({ movements }) => movements.kind === 'stranded')) throw new Error('still moving');
      return all;
    },
    { timeoutMs, intervalMs: 1_000 },
  ).catch(judge);
  const stranded: string[] = [];
  for (const { betId, movements } of judged) {
    if (movements.kind === 'stranded') stranded.push(`${betId}: ${movements.detail}`);
    if (movements.kind === 'reversed') {
      const amount = { minor_units: movements.minorUnits, currency: movements.currency };
      tally.ledger.add('debit', amount);
      tally.ledger.add('rollback', amount);
    }
  }
  return stranded;
}

export function errorsLine(tally: Tally): string {
  return [...tally.errors].map(([code, n]) => `${code} ×${n}`).join(', ') || 'none';
}

function count(tally: Tally, call: string, code: string): void {
  const key = `${call} ${code}`;
  tally.errors.set(key, (tally.errors.get(key) ?? 0) + 1);
}
