import { Injectable } from '@nestjs/common';

import { type BetTerms } from '@pitboss/betting-domain';
import { PitbossError } from '@pitboss/contracts';
import { type Transaction } from '@pitboss/event-store';
import { type StoredResponse } from '@pitboss/idempotency';
import { TenantRegions } from '@pitboss/governance';
import { RequestRateLimiter, type WhenLimiterUnavailable } from '@pitboss/security';

import { AuthorizeBetHandler } from '../bets/authorize-bet.handler';
import { type RequestContext } from '../bets/bet-repository';
import { BetQueries, type BetView } from '../bets/bet-queries';
import { type CommandAnswer, type CommandRequest, IdempotentCommands } from '../bets/idempotent-commands';
import { RollbackBetHandler } from '../bets/rollback-bet.handler';
import { SettleBetHandler } from '../bets/settle-bet.handler';
import { OpenSessionHandler } from '../sessions/open-session.handler';
import { authorizeBetSchema, openSessionSchema, rollbackBetSchema, settleBetSchema } from './request-schemas';
import { validate, validateId } from './validate';

/** A signed, authenticated call as both transports hand it over. */
export interface AggregatorCall {
  readonly tenantId: string;
  readonly idempotencyKey: string | undefined;
  readonly traceparent: string | null;
  readonly body: unknown;
}

export const ROUTES = {
  openSession: '/v1/sessions',
  authorize: '/v1/bets/authorize',
  settle: '/v1/bets/settle',
  rollback: '/v1/bets/rollback',
} as const;

/**
 * The aggregator API, transport-free: HTTP controllers and the gRPC service both call these, so the two cannot
 * drift (same validation, same idempotency scope per route, same answers and error codes).
 */
@Injectable()
export class BetCommands {
  constructor(
    private readonly commands: IdempotentCommands,
    private readonly sessions: OpenSessionHandler,
    private readonly authorizeHandler: AuthorizeBetHandler,
    private readonly settleHandler: SettleBetHandler,
    private readonly rollbackHandler: RollbackBetHandler,
    private readonly queries: BetQueries,
    private readonly rateLimiter: RequestRateLimiter,
    private readonly regions: TenantRegions,
  ) {}

  async openSession(call: AggregatorCall): Promise<CommandAnswer> {
    this.regions.assertServes(call.tenantId);
    const command = validate(openSessionSchema, call.body);
    return this.run(call, ROUTES.openSession, command, { whenUnavailable: 'refuse' }, () =>
      this.sessions.handle(call.tenantId, command),
    );
  }

  /** Authorize is the only call charged to the session's bucket too: it is the one a runaway game repeats. */
  async authorize(call: AggregatorCall): Promise<CommandAnswer> {
    this.regions.assertServes(call.tenantId);
    const { features, entitlement_id, ...body } = validate(authorizeBetSchema, call.body);
    // entitlement_id joins the terms (and the fingerprint) only when sent, as features do.
    const terms: BetTerms = {
      ...body,
      bonus_grant_id: body.bonus_grant_id ?? null,
      ...(entitlement_id === undefined || entitlement_id === null ? {} : { entitlement_id }),
    };
    const limits = { whenUnavailable: 'refuse', sessionId: body.session_id } as const;
    // Features join the fingerprint only when sent, so a request without them keeps its fingerprint of before.
    const command = features === undefined ? terms : { ...terms, features };
    const context = this.contextOf(call);
    return this.commands.runCompletingIn(
      this.requestOf(call, ROUTES.authorize, command),
      () => this.charge(call, limits),
      (key) => this.authorizeHandler.handle(call.tenantId, terms, context, key, features ?? []),
    );
  }

  // Settle and rollback only finish bets already accepted, so they go through while the limiter's store is down.
  async settle(call: AggregatorCall): Promise<CommandAnswer> {
    this.regions.assertServes(call.tenantId);
    const command = validate(settleBetSchema, call.body);
    const context = this.contextOf(call);
    return this.commands.runCompletingIn(
      this.requestOf(call, ROUTES.settle, command),
      () => this.charge(call, { whenUnavailable: 'allow' }),
      (key) => this.settleHandler.handle(call.tenantId, command, context, key),
    );
  }

  async rollback(call: AggregatorCall): Promise<CommandAnswer> {
    this.regions.assertServes(call.tenantId);
    const command = validate(rollbackBetSchema, call.body);
    return this.runInTransaction(
      call,
      ROUTES.rollback,
      command,
      { whenUnavailable: 'allow' },
      (context, tx) => this.rollbackHandler.handle(tx, call.tenantId, command, context),
    );
  }

  async bet(tenantId: string, betId: unknown): Promise<BetView> {
    this.regions.assertServes(tenantId);
    const id = validateId('bet_id', betId);
    await this.rateLimiter.consume({ tenantId }, 'allow');
    return this.queries.bet(tenantId, id);
  }

  async round(tenantId: string, roundId: unknown): Promise<{ round_id: string; bets: BetView[] }> {
    this.regions.assertServes(tenantId);
    const id = validateId('round_id', roundId);
    await this.rateLimiter.consume({ tenantId }, 'allow');
    return this.queries.round(tenantId, id);
  }

  /**
   * The idempotency fingerprint covers the validated command, not the bytes sent, so the same request over HTTP
   * (`"bonus_grant_id": null`) and gRPC (field absent) is one request under one key. The rate limit is charged
   * only when the command executes: a replay of a stored answer (what a client retrying after a timeout gets)
   * costs no token.
   */
  private run(
    call: AggregatorCall,
    path: string,
    command: unknown,
    limits: CommandLimits,
    handle: (context: RequestContext) => Promise<StoredResponse>,
  ): Promise<CommandAnswer> {
    const context = this.contextOf(call);
    return this.commands.run(this.requestOf(call, path, command), async () => {
      await this.charge(call, limits);
      return handle(context);
    });
  }

  /**
   * As `run`, for commands that append to the bet's stream once (rollback): the append and the stored
   * answer commit in one transaction.
   */
  private runInTransaction(
    call: AggregatorCall,
    path: string,
    command: unknown,
    limits: CommandLimits,
    handle: (context: RequestContext, tx: Transaction) => Promise<StoredResponse>,
  ): Promise<CommandAnswer> {
    const context = this.contextOf(call);
    return this.commands.runInTransaction(this.requestOf(call, path, command), async (tx) => {
      await this.charge(call, limits);
      return handle(context, tx);
    });
  }

  private requestOf(call: AggregatorCall, path: string, body: unknown): CommandRequest {
    if (call.idempotencyKey === undefined || call.idempotencyKey === '') {
      throw new PitbossError('IDEMPOTENCY_KEY_MISSING', 'every POST needs X-Idempotency-Key');
    }
    return { tenantId: call.tenantId, idempotencyKey: call.idempotencyKey, path, body };
  }

  private contextOf(call: AggregatorCall): RequestContext {
    return { traceparent: call.traceparent, causationId: null, idempotencyKey: call.idempotencyKey ?? null };
  }

  private charge(call: AggregatorCall, { whenUnavailable, sessionId }: CommandLimits): Promise<void> {
    return this.rateLimiter.consume({ tenantId: call.tenantId, sessionId }, whenUnavailable);
  }
}

/** How a command is rate limited: its session's bucket too (authorize), and what to do when the limiter is down. */
interface CommandLimits {
  readonly whenUnavailable: WhenLimiterUnavailable;
  readonly sessionId?: string;
}
