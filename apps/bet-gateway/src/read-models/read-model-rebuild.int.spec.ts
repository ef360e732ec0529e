import { randomBytes } from 'node:crypto';

import { TOPICS } from '@pitboss/contracts';
import { createPool } from '@pitboss/event-store';
import { infrastructureConfig } from '@pitboss/platform-config';
import {
  expectEventually,
  provisionTestTopics,
  publishTestEvents,
  type ServiceProcess,
  startServiceProcess,
  type TestTopics,
} from '@pitboss/testing';

const eur = (minor_units: number) => ({ minor_units, currency: 'EUR' });

/**
 * A new gateway (its own schema, a consumer group that never read the topics) learns every restriction and grant
 * ever published, several per player included: what infinite retention of rg.v1 and promo.grants.v1 is for.
 */
describe('bet-gateway read models rebuilt from the beginning', () => {
  let topics: TestTopics;
  let gateway: ServiceProcess | undefined;
  const schema = `gw_rebuild_${randomBytes(4).toString('hex')}`;
  const db = createPool({ databaseUrl: infrastructureConfig().databaseUrl, schema, maxConnections: 2 });
  const tenantId = `t-rebuild-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    topics = await provisionTestTopics('gwrebuild');
  });

  afterAll(async () => {
    await gateway?.kill();
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.end();
    await topics?.cleanup();
  });

  it('has every self-exclusion, block and grant published before it existed', async () => {
    const event = (topic: string, eventType: string, playerId: string, payload: Record<string, unknown>) => ({
      topic,
      eventType,
      tenantId,
      playerId,
      payload,
    });
    const issued = (grantId: string, maxBet: number | null) => ({
      grant_id: grantId,
      offer_id: 'o-1',
      amount: eur(1_000),
      max_bet: maxBet === null ? null : eur(maxBet),
      expires_at: null,
    });
    const rg = TOPICS.responsibleGaming.name;
    const promo = TOPICS.promoGrants.name;
    // Same key (tenant:player) for every event of a player: compaction would have kept one of each player's.
    await publishTestEvents(topics, [
      event(rg, 'player.self_excluded', 'p-1', { excluded_until: null, reason: 'player' }),
      event(rg, 'player.blocked', 'p-1', { reason: 'kyc' }),
      event(rg, 'player.blocked', 'p-2', { reason: 'kyc' }),
      event(rg, 'player.unblocked', 'p-2', { reason: 'cleared' }),
      event(promo, 'bonus.issued', 'p-1', issued('g-1', 200)),
      event(promo, 'bonus.issued', 'p-1', issued('g-2', null)),
      event(promo, 'bonus.issued', 'p-1', issued('g-3', 500)),
      event(promo, 'bonus.revoked', 'p-1', { grant_id: 'g-3', reason: 'abuse' }),
    ]);

    gateway = await startServiceProcess('bet-gateway', {
      env: { ...topics.env, DATABASE_SCHEMA: schema },
      waitForLines: ['consuming rgs.settlements.v1, promo.grants.v1 and rg.v1'],
    });

    await expectEventually(async () => {
      const restrictions = await db.query(
        `SELECT player_id, blocked, self_excluded_until::text AS until FROM player_restrictions
         WHERE tenant_id = $1 ORDER BY player_id`,
        [tenantId],
      );
      const grants = await db.query(
        `SELECT grant_id, player_id, max_bet_minor_units::int AS max_bet, ended_reason FROM bonus_grants
         WHERE tenant_id = $1 ORDER BY grant_id`,
        [tenantId],
      );
      expect({ restrictions: restrictions.rows, grants: grants.rows }).toEqual({
        restrictions: [
          { player_id: 'p-1', blocked: true, until: 'infinity' },
          { player_id: 'p-2', blocked: false, until: null },
        ],
        grants: [
          { grant_id: 'g-1', player_id: 'p-1', max_bet: 200, ended_reason: null },
          { grant_id: 'g-2', player_id: 'p-1', max_bet: null, ended_reason: null },
          { grant_id: 'g-3', player_id: 'p-1', max_bet: 500, ended_reason: 'bonus.revoked: abuse' },
        ],
      });
    });
  });
});
