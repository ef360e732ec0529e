import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { type Redis } from 'ioredis';

import { type ConversionCheck, type GrantIssuedData, type Money } from '@pitboss/bonus-domain';
import { type WageringCompleted } from '@pitboss/contracts';
import { type Transaction } from '@pitboss/event-store';
import { type ChangeRequests } from '@pitboss/governance';
import { GrantVelocity, REDIS_CLIENT } from '@pitboss/redis';
import { type WalletClient } from '@pitboss/wallet-client';

import {
  BONUS_CONVERSION_KIND,
  BONUS_CONVERSION_POLICY,
  type BonusConversionPayload,
} from './bonus-conversion.kind';
import { GRANT_APPROVALS } from './grant-approvals.token';
import { systemActor } from './grant-audit';
import { GrantEndings } from './grant-endings';
import { GrantMetrics } from './grant-metrics';
import { GrantStreams } from './grant-streams.repository';
import { GRANT_WALLET } from './grant-wallet.provider';
import { GRANTS_CONFIG, type GrantsConfig } from './grants.config';
import { amountFor } from './tenant-amounts.setting';

const DAY_MS = 86_400_000;

/** The player's conversions in the rolling 24 h (libs/redis GrantVelocity), as the conversion kind records them. */
@Injectable()
export class ConversionVelocityRecorder {
  private readonly velocity: GrantVelocity;

  constructor(@Inject(REDIS_CLIENT) redis: Redis) {
    this.velocity = new GrantVelocity(redis);
  }

  /** Takes a slot, or answers `limit` when the player's conversions are used up (null limit: always taken). */
  async take(tenantId: string, playerId: string, grantId: string, limit: number | null) {
    return this.velocity.reserveConversion({
      tenantId,
      playerId,
      grantId,
      limit,
      windowMs: DAY_MS,
      now: new Date(),
    });
  }

  record(tenantId: string, playerId: string, grantId: string): Promise<unknown> {
    return this.take(tenantId, playerId, grantId, null);
  }

  release(tenantId: string, playerId: string, grantId: string): Promise<void> {
    return this.velocity.releaseConversion({ tenantId, playerId, grantId });
  }
}

/**
 * wagering.completed: the grant converts, unless the amount to convert (its bonus funds in the wallet, capped at
 * max win) is above the tenant's conversion four-eyes amount or the player's conversions in 24 h are used up;
 * then the decider holds it (`conversion_pending_approval`) and a `bonus_conversion` change request is opened in
 * the same transaction as the inbox row. The wallet is read (not moved) to measure the amount; an unanswered read
 * fails the message, which the consumer retries.
 */
@Injectable()
export class GrantConversions {
  constructor(
    private readonly streams: GrantStreams,
    private readonly endings: GrantEndings,
    private readonly velocity: ConversionVelocityRecorder,
    private readonly metrics: GrantMetrics,
    @Inject(GRANT_WALLET) private readonly wallet: WalletClient,
    @Inject(GRANT_APPROVALS) private readonly approvals: ChangeRequests,
    @Inject(GRANTS_CONFIG) private readonly config: GrantsConfig,
  ) {}

  async completed(
    tenantId: string,
    completed: WageringCompleted,
    tx: Transaction,
    traceId: string | null,
  ): Promise<void> {
    const ending = { kind: 'conversion', completing_bet_id: completed.completing_bet_id } as const;
    const actor = systemActor(tenantId);
    const grant = await this.streams.load(tenantId, completed.grant_id, tx);
    const issued = grant.state.grant;
    if (grant.state.status !== 'active' || issued === null) {
      // Not convertible now (ended, held already, unknown): the decider adds nothing, as before.
      await this.endings.start(tenantId, completed.grant_id, ending, actor, tx, traceId);
      return;
    }
    const taken = await this.velocity.take(
      tenantId,
      issued.player_id,
      issued.grant_id,
      this.config.playerConversionsPer24h,
    );
    const check: ConversionCheck = {
      convertible: await this.convertible(tenantId, issued),
      threshold_minor: amountFor(this.config.conversionFourEyesAboveMinor, tenantId),
      velocity: taken.allowed ? 'allowed' : 'limit',
      change_request_id: randomUUID(),
    };
    const state = await this.endings.start(tenantId, issued.grant_id, ending, actor, tx, traceId, check);
    const held = state?.held_conversion;
    if (
      state?.status !== 'conversion_pending_approval' ||
      held?.change_request_id !== check.change_request_id
    ) {
      if (taken.allowed && state?.ending?.kind !== 'conversion')
        await this.velocity.release(tenantId, issued.player_id, issued.grant_id);
      return;
    }
    // Held: the slot is not used (an approval records it), and the request goes to a second person.
    if (taken.allowed) await this.velocity.release(tenantId, issued.player_id, issued.grant_id);
    const payload: BonusConversionPayload = {
      grant_id: issued.grant_id,
      player_id: issued.player_id,
      completing_bet_id: completed.completing_bet_id,
      convertible: held.convertible,
      reasons: [...held.reasons],
    };
    await this.approvals.submitIn(
      tx,
      { ...actor, scopes: [BONUS_CONVERSION_POLICY.proposeScope] },
      {
        id: held.change_request_id,
        kind: BONUS_CONVERSION_KIND,
        payload,
        reason: `conversion of ${held.convertible.minor_units} ${held.convertible.currency} held: ${held.reasons.join(', ')}`,
      },
      traceId,
    );
    this.metrics.transition(tenantId, 'conversion_pending_approval');
    for (const reason of held.reasons) this.metrics.held(tenantId, 'conversion', reason);
  }

  /** The grant's bonus funds as the wallet holds them, capped at max win: what a conversion would move. */
  private async convertible(tenantId: string, grant: GrantIssuedData): Promise<Money> {
    const answer = await this.wallet.wallet.balance(tenantId, grant.player_id);
    if (answer.kind !== 'ok')
      throw new Error(
        `wallet balance of player ${grant.player_id} for grant ${grant.grant_id}: ${answer.kind === 'rejected' ? answer.code : answer.cause}`,
      );
    const funds =
      answer.value.grants?.find((entry) => entry.grantId === grant.grant_id)?.bonus.minor_units ?? 0;
    const cap = grant.max_win?.minor_units ?? Number.MAX_SAFE_INTEGER;
    return { minor_units: Math.min(funds, cap), currency: grant.amount.currency };
  }
}
