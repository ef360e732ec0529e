import { type Kafka } from 'kafkajs';
import { type Pool } from 'pg';

import { type EventCodec, EventPublisher, type TopicNaming } from '@pitboss/messaging';
import { expectEventually } from '@pitboss/testing';
import { walletKeys } from '@pitboss/wallet-client';

import { depositCaptured, keyOf, profileChanged } from '../platform-simulator/src/platform-events';
import { type AggregatorClient } from './aggregator-client';
import { type Operator, expectStatus, type PromoCall } from './promo-api';
import { type sandboxAdmin } from './sandbox-admin';

/** brand-a's operators in the local Keycloak realm: four-eyes needs two principals of the tenant. */
const AUTHOR: Operator = { client: 'brand-a-ops-1', scope: 'promo:admin promo:approve promo:issue' };
const APPROVER: Operator = { client: 'brand-a-ops-2', scope: 'promo:admin promo:approve' };
export const BONUS_TENANT = 'brand-a';

/**
 * The journey's numbers, each derived from the offer's rules in the report (never read back from the services):
 * a 2,000 deposit matched 50 % → a 1,000 bonus; wagering 1× deposit + bonus = 3,000, slots at 100 %; six bets of
 * 500 (the offer's max bet) with these wins. The wallet takes a stake from cash first, then the grant's funds, and
 * pays wins into cash, so the sixth stake takes the last 300 of cash and 200 of the bonus; 800 bonus is left to
 * convert when the sixth settlement completes the wagering.
 */
const DEPOSIT = 2_000;
const MATCH_PCT = 50;
const STAKE = 500;
const WINS = [0, 600, 0, 200, 0, 300];
const CURRENCY = 'EUR';

export interface BonusJourneyDeps {
  readonly runId: string;
  readonly bonusGrant: PromoCall;
  readonly wagering: PromoCall;
  /** A signed aggregator client of brand-a on the gateway. */
  readonly aggregator: AggregatorClient;
  readonly admin: ReturnType<typeof sandboxAdmin>;
  /** bet-gateway's schema, read to know when its read model has the grant (the gateway has no API for that). */
  readonly gatewayDb: Pool;
  readonly kafka: Kafka;
  readonly codec: EventCodec;
  readonly naming: TopicNaming;
  readonly log: (line: string) => void;
}

export interface BonusJourneyResult {
  readonly ok: boolean;
  readonly lines: readonly string[];
}

/**
 * One player from deposit to converted bonus, through the real services: a contribution schema and a
 * deposit-match offer published through four-eyes (two Keycloak principals), the player's profile and deposit
 * published as the platform would (players.v1, payments.deposits.v1), the grant credited into the bonus
 * sub-balance by bonus-grant's saga, six bonus bets through the gateway, wagering counted by wagering-progress
 * from `bet.settled`, and the conversion into cash at 100 %. Checks the wallet's balances and ledger exactly.
 */
export async function playBonusJourney(deps: BonusJourneyDeps): Promise<BonusJourneyResult> {
  const { runId, bonusGrant, wagering, log } = deps;
  const segment = `demo-${runId}`;
  const playerId = `demo-${runId}-bonus-player`;
  const schemaId = `demo-slots-${runId}`;
  const offerId = `demo-welcome-${runId}`;
  const bonus = Math.floor((DEPOSIT * MATCH_PCT) / 100);
  const required = DEPOSIT + bonus;

  log(`bonus: contribution schema ${schemaId} (slots 100 %) and offer ${offerId}, each through four-eyes`);
  const proposed = expectStatus(
    'propose the contribution schema',
    await wagering('POST', '/v1/contribution-schemas', AUTHOR, {
      schema_id: schemaId,
      rules: [{ match: { kind: 'game_type', value: 'slot' }, pct: 10_000 }],
      default_pct: 0,
      reason: 'demo: slots count in full',
    }),
    202,
  );
  await approve(wagering, proposed.body.change_request.id, 'the contribution schema');
  expectStatus(
    'draft the offer',
    await bonusGrant('POST', '/v1/offers', AUTHOR, {
      offer_id: offerId,
      name: `Demo welcome ${MATCH_PCT} %`,
      type: 'deposit_match',
      currency: CURRENCY,
      params: {
        match_pct: MATCH_PCT,
        cap_minor: 5_000,
        wager_x: 1,
        wagering_base: 'deposit_plus_bonus',
        sticky: true,
        max_bet_minor: STAKE,
        validity_days: 7,
        contribution_schema: { id: schemaId },
        qualifying_product: 'casino',
        reward_product: 'casino',
      },
      // An MT-licensed offer (no jurisdiction policy beyond the offer's own terms), for this run's player only: a
      // deposit of another demo's player gets nothing from it, and vice versa.
      eligibility: { licences: ['MT'], countries: ['MT'], segments: [segment] },
      limits: { once_per_player: true, budget_minor: 100_000 },
    }),
    201,
  );
  // bonus-grant pins the schema's version at publish, from promo.wagering.v1: it may not have it yet (422).
  const submitted = await expectEventually(
    async () =>
      expectStatus(
        'submit the offer',
        await bonusGrant('POST', `/v1/offers/${offerId}/submit`, AUTHOR, { reason: 'demo' }),
        201,
      ),
    { timeoutMs: 30_000, intervalMs: 500 },
  );
  await approve(bonusGrant, submitted.body.id, 'the offer');

  log(`bonus: player ${playerId}: profile (segment ${segment}) and a deposit of ${DEPOSIT} ${CURRENCY}`);
  // The platform's wallet already holds the deposited cash when the PSP's capture is announced.
  await deps.admin.createAccount({ tenantId: BONUS_TENANT, playerId, currency: CURRENCY, cash: DEPOSIT });
  const profile = profileChanged({
    tenantId: BONUS_TENANT,
    playerId,
    country: 'MT',
    licence: 'MT',
    kycLevel: 2,
    segments: [segment],
    accountCreatedAt: new Date(Date.now() - 400 * 86_400_000),
  });
  const deposit = depositCaptured({
    tenantId: BONUS_TENANT,
    playerId,
    depositId: `dep-${runId}`,
    minorUnits: DEPOSIT,
    currency: CURRENCY,
    capturedAt: new Date(),
  });
  const publisher = new EventPublisher(deps.kafka, deps.codec, deps.naming);
  await publisher.connect();
  try {
    await publisher.publish(
      [profile, deposit].map((event) => ({ ...event, key: keyOf(event), headers: {} })),
    );
  } finally {
    await publisher.disconnect();
  }

  const grant = await expectEventually(
    async () => {
      const grants: Array<{ grant_id: string; offer_id: string; status: string }> = expectStatus(
        'the player grants',
        await bonusGrant('GET', `/v1/players/${playerId}/grants`, AUTHOR),
        200,
      ).body.grants;
      const active = grants.find((g) => g.offer_id === offerId && g.status === 'active');
      if (!active) throw new Error(`no active grant yet: ${JSON.stringify(grants)}`);
      return active;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
  const granted = await deps.admin.balance(BONUS_TENANT, playerId);
  const checks: Array<[string, boolean]> = [];
  const check = (label: string, actual: unknown, expected: unknown) => {
    const ok = JSON.stringify(actual) === JSON.stringify(expected);
    checks.push([
      `${label}: ${JSON.stringify(actual)}${ok ? '' : ` (expected ${JSON.stringify(expected)})`}`,
      ok,
    ]);
  };
  check(
    'after the deposit, cash / bonus',
    [granted.cash.minor_units, granted.bonus.minor_units],
    [DEPOSIT, bonus],
  );

  const bets = await playBonusBets(deps, playerId, grant.grant_id);
  const progress = await expectEventually(
    async () => {
      const answer = expectStatus(
        'the grant progress',
        await wagering('GET', `/v1/bonus/grants/${grant.grant_id}/progress`, AUTHOR),
        200,
      );
      if (answer.body.contributed_minor < required)
        throw new Error(`wagering at ${answer.body.contributed_minor}`);
      return answer.body;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
  const converted = await expectEventually(
    async () => {
      const answer = await bonusGrant('GET', `/v1/bonus/grants/${grant.grant_id}`, AUTHOR);
      if (answer.body?.status !== 'converted') throw new Error(`grant ${answer.body?.status}`);
      return answer.body;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );

  // The expectation, from the rules alone: stakes from cash first, then the bonus; wins into cash.
  let cash = DEPOSIT;
  let bonusLeft = bonus;
  WINS.forEach((win) => {
    const fromCash = Math.min(cash, STAKE);
    cash += win - fromCash;
    bonusLeft -= STAKE - fromCash;
  });
  const final = await deps.admin.balance(BONUS_TENANT, playerId);
  const ledger = await deps.admin.ledger({ tenantId: BONUS_TENANT, grantId: grant.grant_id });
  const grantMoves = ledger
    .filter((entry) => entry.kind === 'credit' || entry.kind === 'convert')
    .map((entry) => [entry.transaction_id, entry.amount.minor_units]);
  check(
    'wagering required / contributed',
    [progress.required_minor, progress.contributed_minor],
    [required, required],
  );
  check('bets accepted / settled', bets, [WINS.length, WINS.length]);
  check(
    'after the conversion, cash / bonus',
    [final.cash.minor_units, final.bonus.minor_units],
    [cash + bonusLeft, 0],
  );
  check('grant money in the wallet ledger (key, amount)', grantMoves, [
    [walletKeys.grantCredit(BONUS_TENANT, grant.grant_id), bonus],
    [walletKeys.convert(BONUS_TENANT, grant.grant_id), bonusLeft],
  ]);
  const lines = [
    `deposit ${DEPOSIT} ${CURRENCY} → grant ${grant.grant_id} of ${bonus} (${MATCH_PCT} %), wagering ${required} ` +
      `(1× deposit + bonus), ${WINS.length} bets of ${STAKE} with wins ${WINS.join('/')} → ${converted.status}`,
    ...checks.map(([line, ok]) => `${ok ? 'OK  ' : 'FAIL'} ${line}`),
  ];
  return { ok: checks.every(([, ok]) => ok), lines };
}

async function approve(service: PromoCall, requestId: string, what: string): Promise<void> {
  const approved = expectStatus(
    `approve ${what}`,
    await service('POST', `/v1/change-requests/${requestId}/approve`, APPROVER, {}),
    200,
  );
  if (approved.body.status !== 'applied')
    throw new Error(`approve ${what}: ${JSON.stringify(approved.body)}`);
}

/** The player's bonus bets on a slot, each settled with its win; [accepted, settled]. */
async function playBonusBets(
  deps: BonusJourneyDeps,
  playerId: string,
  grantId: string,
): Promise<[number, number]> {
  const client = deps.aggregator;
  // The gateway learns the grant from promo.grants.v1; a bet naming it before then is refused BONUS_NOT_ACTIVE.
  await expectEventually(
    async () => {
      const { rowCount } = await deps.gatewayDb.query(
        'SELECT 1 FROM bonus_grants WHERE tenant_id = $1 AND grant_id = $2',
        [BONUS_TENANT, grantId],
      );
      if (rowCount !== 1) throw new Error(`bet-gateway does not know grant ${grantId} yet`);
    },
    { timeoutMs: 20_000, intervalMs: 250 },
  );
  const session = await client.openSession(
    { player_id: playerId, game_id: 'book-of-pitboss', currency: CURRENCY, country: 'MT' },
    `${playerId}:session`,
  );
  if (!session.ok) throw new Error(`open the bonus session: ${session.code} ${session.message}`);
  let accepted = 0;
  let settled = 0;
  for (const [index, win] of WINS.entries()) {
    const betId = `${playerId}-bet-${index + 1}`;
    const roundId = `${playerId}-round-${index + 1}`;
    const terms = {
      bet_id: betId,
      round_id: roundId,
      session_id: session.body.session_id,
      player_id: playerId,
      game_id: 'book-of-pitboss',
      game_type: 'slot',
      amount: { minor_units: STAKE, currency: CURRENCY },
      bonus_grant_id: grantId,
    };
    const authorized = await client.authorize(terms, `${betId}:authorize`);
    if (!authorized.ok) throw new Error(`authorize ${betId}: ${authorized.code} ${authorized.message}`);
    accepted += 1;
    const outcome = await client.settle(
      { bet_id: betId, round_id: roundId, win: { minor_units: win, currency: CURRENCY } },
      `${betId}:settle`,
    );
    if (!outcome.ok) throw new Error(`settle ${betId}: ${outcome.code} ${outcome.message}`);
    settled += 1;
  }
  return [accepted, settled];
}
