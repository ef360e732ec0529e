import { randomUUID } from 'node:crypto';

import { type OfferTerms } from '@pitboss/bonus-domain';
import { type EventEnvelope, TOPICS } from '@pitboss/contracts';
import { eventStoreMigrations } from '@pitboss/event-store';
import {
  collectEvents,
  createTestSchema,
  type EventCollector,
  issueToken,
  provisionTestTopics,
  type RelayProcess,
  type ServiceProcess,
  startRelayProcess,
  startServiceProcess,
  type TestSchema,
  type TestTopics,
} from '@pitboss/testing';

import { bonusGrantMigrations } from '../bonus-grant-migrations';
import { aPlayerProfile, offerTerms, publishOffer } from '../grants/grants.fixtures';

export const TENANT = 'brand-a';
export const GAMES = ['book-of-dead', 'star-y'];

/** A JSON answer, read field by field as the int specs read them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the specs assert on the answers' shape themselves
type JsonObject = Record<string, any>;

export interface EntitlementsHarness {
  readonly db: TestSchema;
  readonly topics: TestTopics;
  aPlayer(): Promise<string>;
  /** A free-spins offer's terms: 20 spins of 20 on GAMES, 7 days, no wagering; override what the test is about. */
  freeSpins(params?: Partial<OfferTerms['params']>, overrides?: Partial<OfferTerms>): OfferTerms;
  anOffer(terms?: OfferTerms): Promise<string>;
  post(
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; replayed: string | null; body: JsonObject }>;
  listOf(playerId: string): Promise<JsonObject>;
  /** promo.grants.v1 events of the entitlement, as the collector decoded them. */
  published(entitlementId: string): EventEnvelope[];
  rowsOf(playerId: string): Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * The built bonus-grant as a process on its own schema and topics, a relay of its outbox, a collector of
 * promo.grants.v1 and a real Keycloak token with promo:issue; offers and profiles arranged in its tables.
 */
export async function startEntitlementsHarness(): Promise<EntitlementsHarness> {
  const run = randomUUID().slice(0, 8);
  let seq = 0;
  const [db, topics, token] = await Promise.all([
    createTestSchema([...eventStoreMigrations, ...bonusGrantMigrations], 'bge'),
    provisionTestTopics('bge'),
    issueToken('brand-a-ops-1', { scope: 'promo:issue' }),
  ]);
  const relay: RelayProcess = startRelayProcess([db.schema], topics.env);
  const collector: EventCollector = await collectEvents(topics, [TOPICS.promoGrants.name]);
  const service: ServiceProcess = await startServiceProcess('bonus-grant', {
    env: { ...topics.env, DATABASE_SCHEMA: db.schema, DATABASE_MIGRATE_ON_START: 'false' },
    waitForLines: [
      'grant timer loop started',
      '(group bonus-grant-grants)',
      '(group bonus-grant-entitlements)',
    ],
    startTimeoutMs: 180_000,
  });

  const freeSpins: EntitlementsHarness['freeSpins'] = (params = {}, overrides = {}) =>
    offerTerms(
      { type: 'free_spins', ...overrides },
      {
        match_pct: null,
        cap_minor: null,
        wager_x: 0,
        sticky: false,
        max_bet_minor: null,
        contribution_schema: null,
        validity_days: 7,
        free_rounds: { count: 20, bet_value_minor: 20, games: GAMES },
        ...params,
      },
    );
  return {
    db,
    topics,
    freeSpins,
    async aPlayer() {
      const playerId = `p-${run}-${++seq}`;
      await aPlayerProfile(db.pool, TENANT, playerId);
      return playerId;
    },
    async anOffer(terms = freeSpins()) {
      const offerId = `fs-${run}-${++seq}`;
      await publishOffer(db.pool, TENANT, offerId, terms);
      return offerId;
    },
    async post(body, headers = {}) {
      const response = await fetch(`${service.url}/v1/entitlements`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'x-idempotency-key': randomUUID(),
          'x-trace-id': randomUUID(),
          ...headers,
        },
        body: JSON.stringify(body),
      });
      return {
        status: response.status,
        replayed: response.headers.get('idempotent-replayed'),
        body: (await response.json()) as JsonObject,
      };
    },
    async listOf(playerId) {
      const response = await fetch(`${service.url}/v1/players/${playerId}/entitlements`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return (await response.json()) as JsonObject;
    },
    published: (entitlementId) =>
      collector.received
        .map(({ envelope }) => envelope)
        .filter(
          (envelope) => (envelope.payload as { entitlement_id?: string }).entitlement_id === entitlementId,
        ),
    async rowsOf(playerId) {
      return (await db.pool.query('SELECT 1 FROM entitlements WHERE player_id = $1', [playerId])).rowCount;
    },
    async stop() {
      await service.kill('SIGTERM');
      await relay.kill('SIGTERM');
      await collector.stop();
      await topics.cleanup();
      await db.drop();
    },
  };
}
