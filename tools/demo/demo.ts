import { randomBytes } from 'node:crypto';

import { createPool } from '@pitboss/event-store';
import { createKafka, createSchemaRegistry, EventCodec, TopicNaming } from '@pitboss/messaging';
import { envInt, infrastructureConfig, serviceSchema } from '@pitboss/platform-config';
import { seedGameConfigs, signedHttpClient } from '@pitboss/testing';

import { aggregatorClient, type ClientTarget } from './aggregator-client';
import { BONUS_TENANT, playBonusJourney } from './demo-bonus';
import { DemoBook, type DemoPlayer } from './demo-book';
import { checkGatewayStatuses, printDemoReport } from './demo-report';
import { playRefusals } from './demo-refusals';
import { DEMO_GAME_CONFIGS, playRounds } from './demo-rounds';
import { type Fleet, PORTS } from './fleet';
import { runWithFleet } from './fleet-run';
import { compareLedger } from './ledger-check';
import { promoApi } from './promo-api';
import { sandboxAdmin } from './sandbox-admin';
import { awaitOutcomes } from './settlement-outcomes';
import { watchTopic } from './topic-watch';

const PLAYERS = Math.max(4, envInt('DEMO_PLAYERS', 20));
const ROUNDS_PER_PLAYER = envInt('DEMO_ROUNDS_PER_PLAYER', 12);
const GRPC_EVERY = Math.max(1, envInt('DEMO_GRPC_EVERY', 4));
const START_CASH = envInt('DEMO_START_CASH', 100_000);
const SETTLE_TIMEOUT_MS = envInt('DEMO_SETTLE_TIMEOUT_S', 60) * 1_000;
const CURRENCIES = ['EUR', 'SEK'];
const KEEP_RUNNING = process.env['DEMO_KEEP_RUNNING'] === '1';

/**
 * `npm run demo`: the money path end to end on the real local stack. Signed aggregator traffic (HTTP and gRPC)
 * goes into bet-gateway, which debits the wallet sandbox; settlements travel as events through the outbox relay
 * and Kafka to settle-worker, which credits the wins; the demo then proves from the wallet's own ledger that
 * every cent is where the gateway's answers say it is. Exits 1 when any money check fails.
 */
const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
// A tenant per run: its bet ids, wallet accounts and ledger totals cannot collide with an earlier demo's.
const tenantId = `demo-${runId}`;
const secret = randomBytes(16).toString('hex');
// The bonus journey runs as brand-a: the local Keycloak realm has its two operators (four-eyes), and its ids are
// per run (offer, player, deposit), so earlier runs do not interfere.
const bonusSecret = randomBytes(16).toString('hex');

runWithFleet(
  {
    label: 'demo',
    logDir: '.stack/demo',
    // demo-tenant stays configured for trying the API by hand (libs/security/README.md has curl examples).
    tenantSecrets: `demo-tenant:demo-secret,${tenantId}:${secret},${BONUS_TENANT}:${bonusSecret}`,
    readyTimeoutMs: envInt('DEMO_READY_TIMEOUT_S', 90) * 1_000,
    stopTimeoutMs: envInt('DEMO_STOP_TIMEOUT_S', 20) * 1_000,
    timeoutMs: envInt('DEMO_TIMEOUT_S', 300) * 1_000,
    keepRunning: KEEP_RUNNING,
    noc: true,
  },
  demo,
);

async function demo(fleet: Fleet, aborted: AbortSignal): Promise<number> {
  const config = infrastructureConfig();
  const naming = new TopicNaming(config.topicPrefix);
  const kafka = createKafka(config, '-demo');
  const codec = new EventCodec(createSchemaRegistry(config.schemaRegistryUrl), naming);
  // Subscribed before the first request, so every outcome of this run must arrive.
  const watch = await watchTopic(kafka, codec, naming, 'rgs.settlements.v1');
  const target: ClientTarget = { ...fleet, tenantId, secret };
  const clients = { http: aggregatorClient(target, 'http'), grpc: aggregatorClient(target, 'grpc') };
  try {
    const admin = sandboxAdmin(fleet.walletAdminUrl);
    const players: DemoPlayer[] = Array.from({ length: PLAYERS }, (_, index) => ({
      playerId: `${tenantId}-player-${String(index + 1).padStart(2, '0')}`,
      currency: CURRENCIES[index % CURRENCIES.length] ?? 'EUR',
      client: index % GRPC_EVERY === GRPC_EVERY - 1 ? clients.grpc : clients.http,
      startCash: START_CASH,
      sessionId: undefined,
      game: undefined,
      expectedCash: START_CASH,
    }));
    await Promise.all(
      players.map((player) =>
        admin.createAccount({
          tenantId,
          playerId: player.playerId,
          currency: player.currency,
          cash: START_CASH,
        }),
      ),
    );
    // Certified RTP corridors for the demo's games, so the NOC has something to hold the actual RTP against.
    await seedGameConfigs(serviceSchema('bet-gateway'), tenantId, DEMO_GAME_CONFIGS);
    const grpcPlayers = players.filter((player) => player.client.transport === 'grpc').length;
    console.log(
      `\n== demo: workload: tenant ${tenantId}, ${PLAYERS} players (${PLAYERS - grpcPlayers} over HTTP, ` +
        `${grpcPlayers} over gRPC), ${ROUNDS_PER_PLAYER} rounds each, ${START_CASH} minor units to start`,
    );
    const book = new DemoBook();
    const startedAt = Date.now();
    await playRounds(players, book, {
      runId,
      roundsPerPlayer: ROUNDS_PER_PLAYER,
      rollbackShare: 0.06,
      aborted,
    });
    const httpPlayer = players.find((player) => player.client.transport === 'http' && player.sessionId);
    const grpcPlayer = players.find((player) => player.client.transport === 'grpc' && player.sessionId);
    if (aborted.aborted) return 1;
    if (!httpPlayer || !grpcPlayer) throw new Error('no open HTTP and gRPC session to send the refusals on');
    const refusals = await playRefusals(target, httpPlayer, grpcPlayer, book);
    const trafficMs = Date.now() - startedAt;

    const outcomes = await awaitOutcomes(watch, book.settlements, book.rollbacks, SETTLE_TIMEOUT_MS);
    const http = signedHttpClient(fleet.gatewayUrl, tenantId, secret);
    const statuses = await checkGatewayStatuses(http, book);
    const balances = await Promise.all(
      players.map(async (player) => ({
        player,
        actual: (await admin.balance(tenantId, player.playerId)).cash.minor_units,
      })),
    );
    const ledger = compareLedger(book.ledger, (await admin.totals(tenantId)).totals);
    const code = printDemoReport({
      fleet,
      tenantId,
      book,
      refusals,
      outcomes,
      statuses,
      balances,
      ledger,
      trafficMs,
    });
    const bonusCode = aborted.aborted ? 1 : await bonusJourney(fleet, { kafka, codec, naming });
    if (KEEP_RUNNING && code === 0) void keepPlaying(players, aborted);
    return Math.max(code, bonusCode);
  } finally {
    clients.grpc.close();
    await watch.stop();
  }
}

/** One player from deposit to converted bonus through bonus-grant, the gateway and wagering-progress (demo-bonus.ts). */
async function bonusJourney(
  fleet: Fleet,
  bus: Pick<Parameters<typeof playBonusJourney>[0], 'kafka' | 'codec' | 'naming'>,
): Promise<number> {
  console.log('\n== demo: bonus journey (brand-a): deposit → bonus → wagering → conversion');
  const gatewayDb = createPool({
    databaseUrl: infrastructureConfig().databaseUrl,
    schema: serviceSchema('bet-gateway'),
    maxConnections: 1,
  });
  try {
    const { ok, lines } = await playBonusJourney({
      runId,
      bonusGrant: promoApi(`http://127.0.0.1:${PORTS.bonusGrant}`),
      wagering: promoApi(`http://127.0.0.1:${PORTS.wageringProgress}`),
      aggregator: aggregatorClient({ ...fleet, tenantId: BONUS_TENANT, secret: bonusSecret }, 'http'),
      admin: sandboxAdmin(fleet.walletAdminUrl),
      gatewayDb,
      ...bus,
      log: (line) => console.log(`demo: ${line}`),
    });
    for (const line of lines) console.log(`  ${line}`);
    console.log(ok ? 'demo: bonus journey exact' : 'demo: BONUS JOURNEY CHECK FAILED');
    return ok ? 0 : 1;
  } catch (error) {
    console.log(`demo: BONUS JOURNEY FAILED: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await gatewayDb.end();
  }
}

/**
 * With DEMO_KEEP_RUNNING=1, after the checked run: the HTTP players go on playing (a round each per second or so,
 * new sessions every ten rounds) until Ctrl-C, so the NOC page stays live. Not checked: the report is done.
 */
async function keepPlaying(players: readonly DemoPlayer[], aborted: AbortSignal): Promise<void> {
  const http = players.filter((player) => player.client.transport === 'http').slice(0, 6);
  console.log(`demo: == live traffic for the NOC: ${http.length} HTTP players keep playing until Ctrl-C`);
  for (let cycle = 1; !aborted.aborted; cycle++) {
    await playRounds(http, new DemoBook(), {
      runId: `${runId}-live${cycle}`,
      roundsPerPlayer: 10,
      rollbackShare: 0.06,
      aborted,
      pauseMs: 1_000,
      roundsBefore: ROUNDS_PER_PLAYER + (cycle - 1) * 10,
    }).catch(() => undefined);
  }
}
