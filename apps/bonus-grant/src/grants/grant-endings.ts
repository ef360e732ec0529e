import { Inject, Injectable } from '@nestjs/common';
import { type Pool } from 'pg';

import { type ConversionCheck, decideGrant, type GrantEnding, type GrantState } from '@pitboss/bonus-domain';
import {
  DATABASE_POOL,
  StreamVersionConflictError,
  type Transaction,
  withTransaction,
} from '@pitboss/event-store';
import { PostgresAuditJournal } from '@pitboss/governance';

import { type GrantActor } from './grant-audit';
import { GrantStreams } from './grant-streams.repository';
import { GrantTimersService } from './grant-timers.service';

const ATTEMPTS = 5;

/**
 * Starts an ending of a grant (conversion on wagering.completed, a revoke, a self-exclusion) on its stream. The
 * append expects the version it decided on, so of a completion, a revoke and an expiry racing, exactly one is
 * recorded; the others re-read the stream, see it ending and add nothing. The timer then runs its wallet steps.
 */
@Injectable()
export class GrantEndings {
  constructor(
    @Inject(DATABASE_POOL) private readonly pool: Pool,
    private readonly streams: GrantStreams,
    private readonly timers: GrantTimersService,
    private readonly audit: PostgresAuditJournal,
  ) {}

  /** The grant's state after the attempt (unchanged when another ending won); null when there is no such grant. */
  async start(
    tenantId: string,
    grantId: string,
    ending: GrantEnding,
    actor: GrantActor,
    tx?: Transaction,
    traceId: string | null = null,
    conversion?: ConversionCheck,
  ): Promise<GrantState | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        const run = (db: Transaction) =>
          this.startIn(db, tenantId, grantId, ending, actor, traceId, conversion);
        const state = tx ? await run(tx) : await withTransaction(this.pool, run);
        if (state?.due_at) this.timers.notifyDue(new Date(state.due_at));
        return state;
      } catch (error) {
        // In the caller's transaction a conflict cannot be retried here: the caller's transaction is aborted.
        if (!(error instanceof StreamVersionConflictError) || tx || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  private async startIn(
    tx: Transaction,
    tenantId: string,
    grantId: string,
    ending: GrantEnding,
    actor: GrantActor,
    traceId: string | null,
    conversion: ConversionCheck | undefined,
  ): Promise<GrantState | null> {
    const grant = await this.streams.load(tenantId, grantId, tx);
    if (grant.state.status === 'none') return null;
    const events = decideGrant(
      { type: 'StartEnding', ending, now: new Date(), ...(conversion ? { conversion } : {}) },
      grant.state,
    );
    if (events.length === 0) return grant.state;
    const state = await this.streams.append(tx, grant, events);
    if (ending.kind === 'revocation')
      await this.audit.append(tx, {
        actor,
        action: 'bonus.grant_revoked',
        subject: `grant:${grantId}`,
        before: { status: grant.state.status },
        after: { status: state.status },
        reason: ending.note === '' ? ending.reason : `${ending.reason}: ${ending.note}`,
        traceId,
      });
    return state;
  }
}
