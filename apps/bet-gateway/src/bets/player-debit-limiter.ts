import { bulkhead, type BulkheadPolicy, isBulkheadRejectedError } from 'cockatiel';

import { PitbossError } from '@pitboss/contracts';

export interface PlayerDebitLimits {
  /** Debits of one player this replica has at the wallet at once (`MAX_DEBITS_IN_FLIGHT_PER_PLAYER`). */
  readonly maxInFlight: number;
  /** Further ones that wait for a free slot, in order, before the rest are refused (`MAX_QUEUED_DEBITS_PER_PLAYER`). */
  readonly maxQueued: number;
}

/** Seconds an aggregator is told to wait: a debit takes at most `WALLET_TIMEOUT_MS` (2 s by default). */
const RETRY_AFTER_SECONDS = 1;

interface Lane {
  readonly bulkhead: BulkheadPolicy;
  /** Calls running or waiting in this lane; at 0 the lane is dropped, so idle players cost no memory. */
  users: number;
}

/**
 * One player's debits share a small lane (a cockatiel bulkhead: `maxInFlight` running, `maxQueued` waiting), so
 * a burst from one player cannot fill the wallet connection pool, make the wallet slow for everybody and have
 * the breaker open on timeouts it caused. A call over the lane's capacity is refused at once with
 * TOO_MANY_BETS_IN_FLIGHT, before anything is recorded for it. Per replica, in memory.
 */
export class PlayerDebitLimiter {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly limits: PlayerDebitLimits,
    /** Told of each refusal (metrics). */
    private readonly onRefused: () => void = () => undefined,
  ) {
    if (!Number.isSafeInteger(limits.maxInFlight) || limits.maxInFlight < 1)
      throw new RangeError(`MAX_DEBITS_IN_FLIGHT_PER_PLAYER must be at least 1, got ${limits.maxInFlight}`);
    if (!Number.isSafeInteger(limits.maxQueued) || limits.maxQueued < 0)
      throw new RangeError(`MAX_QUEUED_DEBITS_PER_PLAYER must be at least 0, got ${limits.maxQueued}`);
  }

  /** Players with a debit running or waiting right now. */
  get busyPlayers(): number {
    return this.lanes.size;
  }

  async run<T>(tenantId: string, playerId: string, work: () => Promise<T>): Promise<T> {
    const key = JSON.stringify([tenantId, playerId]);
    const lane = this.lanes.get(key) ?? this.openLane(key);
    lane.users += 1;
    try {
      return await lane.bulkhead.execute(() => work());
    } catch (error) {
      if (!isBulkheadRejectedError(error)) throw error;
      this.onRefused();
      throw new PitbossError(
        'TOO_MANY_BETS_IN_FLIGHT',
        `player ${playerId} already has ${this.limits.maxInFlight} bets at the wallet and ` +
          `${this.limits.maxQueued} waiting; this bet was not recorded`,
        {},
        RETRY_AFTER_SECONDS,
      );
    } finally {
      lane.users -= 1;
      if (lane.users === 0) this.lanes.delete(key);
    }
  }

  private openLane(key: string): Lane {
    const lane = { bulkhead: bulkhead(this.limits.maxInFlight, this.limits.maxQueued), users: 0 };
    this.lanes.set(key, lane);
    return lane;
  }
}
