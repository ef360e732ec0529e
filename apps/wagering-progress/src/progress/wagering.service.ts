import { Injectable } from '@nestjs/common';

import { type EventContext, type Transaction } from '@pitboss/event-store';
import {
  type ContributionSchemaVersion,
  decideWagering,
  feedingGrantOf,
  feedsGrant,
  type SettledBetFacts,
  type WageringEvent,
  type WageringState,
  type WageringTerms,
} from '@pitboss/wagering-domain';

import { ContributionSchemasRepository } from '../schemas/contribution-schemas.repository';
import { type UnitActiveGrants } from './unit-active-grants';
import { type LoadedWagering, WageringStreamsRepository } from './wagering-streams.repository';

/**
 * The effects of the consumed events on the grants' wagering streams, each in the caller's (inbox) transaction.
 * A bonus bet whose grant is not known yet (its bonus.issued, on another topic, not consumed yet) waits in
 * `wagering_waiting_bets` and is considered when the grant starts. `grants` are the players' active grants as
 * the caller's unit of work sees them.
 */
@Injectable()
export class WageringService {
  constructor(
    private readonly streams: WageringStreamsRepository,
    private readonly schemas: ContributionSchemasRepository,
  ) {}

  async start(
    tx: Transaction,
    grants: UnitActiveGrants,
    tenantId: string,
    terms: WageringTerms,
    context: EventContext,
  ): Promise<void> {
    const loaded = await this.streams.load(tx, tenantId, terms.grantId);
    await this.append(
      tx,
      grants,
      tenantId,
      loaded,
      decideWagering({ type: 'StartWagering', terms }, loaded.state),
      context,
    );
    const waiting = await tx.query<{ bet_id: string; kind: string; bet: SettledBetFacts }>(
      `DELETE FROM wagering_waiting_bets WHERE tenant_id = $1 AND grant_id = $2
       RETURNING bet_id, kind, bet, received_at`,
      [tenantId, terms.grantId],
    );
    const inOrder = [...waiting.rows].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'settled' ? -1 : 1));
    for (const row of inOrder) {
      if (row.kind === 'settled')
        await this.considerSettled(tx, grants, tenantId, terms.playerId, row.bet, context);
      else await this.reverseRolledBack(tx, grants, tenantId, row.bet_id, terms.grantId, context);
    }
  }

  async end(
    tx: Transaction,
    grants: UnitActiveGrants,
    tenantId: string,
    grantId: string,
    reason: string,
    context: EventContext,
  ): Promise<void> {
    const loaded = await this.streams.load(tx, tenantId, grantId);
    await this.append(
      tx,
      grants,
      tenantId,
      loaded,
      decideWagering({ type: 'EndWagering', reason }, loaded.state),
      context,
    );
  }

  /** A settled bet: considered by every active grant of the player (and the one it names); it feeds one. */
  async considerSettled(
    tx: Transaction,
    grants: UnitActiveGrants,
    tenantId: string,
    playerId: string,
    bet: SettledBetFacts,
    context: EventContext,
  ): Promise<void> {
    const active = await grants.of(tenantId, playerId);
    const grantIds = new Set(active.map((grant) => grant.grantId));
    if (bet.bonusGrantId !== null && !grantIds.has(bet.bonusGrantId)) {
      if (!(await this.isKnown(tx, tenantId, bet.bonusGrantId))) {
        await this.wait(tx, tenantId, bet.bonusGrantId, bet.betId, 'settled', bet);
        return;
      }
      // A grant that completed or ended: its decider records nothing, but it is asked like the others.
      grantIds.add(bet.bonusGrantId);
    }
    const feeding = feedingGrantOf(bet, active);
    for (const grantId of grantIds) {
      const loaded = await this.streams.load(tx, tenantId, grantId);
      const schema = await this.schemaOf(tx, tenantId, loaded.state);
      const events = decideWagering(
        { type: 'ConsiderSettledBet', bet, feedsThisGrant: feedsGrant(feeding, grantId), schema },
        loaded.state,
      );
      await this.append(tx, grants, tenantId, loaded, events, context);
    }
  }

  /** A rolled-back bet: every grant that considered it reverses what it took. */
  async reverseRolledBack(
    tx: Transaction,
    grants: UnitActiveGrants,
    tenantId: string,
    betId: string,
    bonusGrantId: string | null,
    context: EventContext,
  ): Promise<void> {
    const { rows } = await tx.query<{ grant_id: string }>(
      'SELECT grant_id FROM wagering_contributions WHERE tenant_id = $1 AND bet_id = $2',
      [tenantId, betId],
    );
    if (rows.length === 0 && bonusGrantId !== null && !(await this.isKnown(tx, tenantId, bonusGrantId))) {
      await this.wait(tx, tenantId, bonusGrantId, betId, 'rolled_back', { betId });
      return;
    }
    for (const { grant_id } of rows) {
      const loaded = await this.streams.load(tx, tenantId, grant_id);
      await this.append(
        tx,
        grants,
        tenantId,
        loaded,
        decideWagering({ type: 'ReverseRolledBackBet', betId }, loaded.state),
        context,
      );
    }
  }

  /**
   * Every write to a grant goes through here. `grants` holds which grants of a player are active (and their
   * base and start, fixed when they start), and the append's projection changes that only when it changes the
   * grant's status (started, completed, ended): then the player's copy is dropped, so a later event of the unit
   * routes its bet among the grants as they are now, as if each event had its own transaction.
   */
  private async append(
    tx: Transaction,
    grants: UnitActiveGrants,
    tenantId: string,
    loaded: LoadedWagering,
    events: readonly WageringEvent[],
    context: EventContext,
  ): Promise<void> {
    const next = await this.streams.append(tx, tenantId, loaded, events, context);
    if (next.status !== loaded.state.status && next.terms !== null)
      grants.forget(tenantId, next.terms.playerId);
  }

  private async isKnown(tx: Transaction, tenantId: string, grantId: string): Promise<boolean> {
    const { rowCount } = await tx.query(
      'SELECT 1 FROM wagering_grants WHERE tenant_id = $1 AND grant_id = $2',
      [tenantId, grantId],
    );
    return (rowCount ?? 0) > 0;
  }

  private async wait(
    tx: Transaction,
    tenantId: string,
    grantId: string,
    betId: string,
    kind: 'settled' | 'rolled_back',
    bet: unknown,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO wagering_waiting_bets (tenant_id, grant_id, bet_id, kind, bet) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [tenantId, grantId, betId, kind, JSON.stringify(bet)],
    );
  }

  /**
   * The grant's pinned version. A version wagering-progress has not (yet) published counts nothing: its
   * receipts say so (rule default, 0 %), rather than counting under a guess.
   */
  private async schemaOf(
    tx: Transaction,
    tenantId: string,
    state: WageringState,
  ): Promise<ContributionSchemaVersion | null> {
    const terms = state.terms;
    if (terms === null || terms.schemaId === null) return null;
    const version = terms.schemaVersion ?? 1;
    return (
      (await this.schemas.version(tenantId, terms.schemaId, version, tx)) ?? {
        schemaId: terms.schemaId,
        version,
        rules: [],
        defaultPctBp: 0,
      }
    );
  }
}
