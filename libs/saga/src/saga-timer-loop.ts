import { type Pool } from 'pg';

import { type AppendResult, type GuardedWrite, PollPacing } from '@pitboss/event-store';

import { type PostgresSagaTimers } from './postgres-saga-timers';
import { type SagaTimerLease, type ScheduledLease } from './saga-timer';

export interface SagaTimerLoopOptions {
  /**
   * Wait between polls when the last one found fewer due timers than free slots, while a poll in the last
   * `idleAfterMs` found work. Timers this replica schedules or releases are also announced with `notifyDue`, so
   * the poll only has to find other replicas' and expired leases' work, and due times `notifyDue` did not keep.
   */
  readonly pollMs: number;
  /**
   * Wait between polls once no poll found work for `idleAfterMs` (default: `pollMs`, no pacing). What this
   * replica announces still wakes the loop at once; only the poll's own finds wait up to this long.
   */
  readonly idlePollMs?: number;
  /** How long after the last poll that found work the loop keeps the busy pace (default 1 s). */
  readonly idleAfterMs?: number;
  /** Steps run in parallel by this replica. */
  readonly concurrency: number;
  /** How long a claim holds its subject; renewed while the step runs, so only a dead replica loses it. */
  readonly leaseMs: number;
  /** When a step throws, the subject is retried after this long. */
  readonly errorRetryMs: number;
}

/**
 * The lease as a step gets it: it may end the lease with its own last append (`releaseWrite`, the guarded write
 * to pass it; then `releasedBy` with what the append wrote, once it succeeded), and the loop's release then costs
 * no statement of its own. The step resolves with the same next due time it released with.
 */
export interface SagaStepLease extends SagaTimerLease {
  releaseWrite(nextDueAt: Date | null): GuardedWrite;
  releasedBy(written: AppendResult['written']): void;
}

/** Runs one subject's due work; resolves to when the subject is next due, or null when it has none left. */
export type SagaStep = (lease: SagaStepLease) => Promise<Date | null>;

export interface SagaTimerLoopObserver {
  stepFailed(lease: SagaTimerLease, error: unknown): void;
  leaseLost(lease: SagaTimerLease): void;
  pollFailed(error: unknown): void;
}

/**
 * Polls the timers, claims due subjects up to the free concurrency slots and runs their step. While a step
 * runs its lease is renewed every third of `leaseMs`; if the replica dies the renewals stop, the lease
 * expires, and another replica claims the subject and re-runs the step (which must therefore be idempotent).
 */
export class SagaTimerLoop {
  private readonly inFlight = new Set<Promise<void>>();
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** A wake-up that came while the loop was not asleep: the next sleep returns at once. */
  private wakeRequested = false;
  /**
   * The last claim took as many subjects as it had free slots (none free counts): due work may be waiting for a
   * slot, so a finished step looks again. Otherwise the claim took all that was due, and a finished step's freed
   * slot needs no claim of its own: new work is announced (`notifyDue`) or found by the poll.
   */
  private slotsRanShort = true;
  private dueTimer: NodeJS.Timeout | undefined;
  private dueAt: number | undefined;
  private readonly pacing: PollPacing;

  constructor(
    private readonly pool: Pool,
    private readonly timers: PostgresSagaTimers,
    private readonly step: SagaStep,
    private readonly options: SagaTimerLoopOptions,
    private readonly observer: SagaTimerLoopObserver,
  ) {
    this.pacing = new PollPacing({
      busyIntervalMs: options.pollMs,
      idleIntervalMs: options.idlePollMs ?? options.pollMs,
      idleAfterMs: options.idleAfterMs ?? 1_000,
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Claims nothing more and waits for the steps in hand to finish (their leases are released normally). */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.dueTimer);
    this.wake?.();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  /**
   * A subject of this replica is due at `at` (a consumer just scheduled it, or a step released it with its next
   * due time): the loop looks then instead of at its next poll. Only the earliest pending instant is kept; a later
   * one is found by the poll after it (up to `idlePollMs` late when the loop is quiet).
   */
  notifyDue(at: Date): void {
    const inMs = at.getTime() - Date.now();
    if (inMs <= 0) return this.wakeNow();
    if (this.dueAt !== undefined && this.dueAt <= at.getTime()) return;
    clearTimeout(this.dueTimer);
    this.dueAt = at.getTime();
    this.dueTimer = setTimeout(() => {
      this.dueAt = undefined;
      this.wakeNow();
    }, inMs);
    this.dueTimer.unref();
  }

  /**
   * Whether `extra` more steps would still find a free slot now: a consumer takes a subject's lease in its
   * transaction (`PostgresSagaTimers.scheduleLeased`) only then, counting the leases that transaction took already.
   */
  hasFreeSlots(extra = 0): boolean {
    return this.running && this.inFlight.size + extra < this.options.concurrency;
  }

  /**
   * Steps a subject whose lease this replica took in a transaction that has committed (`scheduleLeased`): in a
   * free slot, at once, as if a claim had taken it, with `step` when that transaction began the step already
   * (the loop's own step otherwise). With no slot free (the consumer's transaction ran alongside claims) or once
   * stopping, the lease is handed back, released due now, for the next claim here or elsewhere, whose step must
   * then resume what `step` would have finished: a lease nobody steps would hold its subject until it expired.
   * So is a lease older than a renewal interval (a long transaction): renewals start with the step, and such a
   * lease could expire before the first one, letting another replica's claim run the subject alongside.
   */
  adopt(lease: ScheduledLease, step: SagaStep = this.step): void {
    // Not counted as a poll's find (`pacing`): while all work comes adopted, polls find nothing and may slow to
    // the idle pace; what they are for, other replicas' work and expired leases, can wait that long.
    if (this.hasFreeSlots() && Date.now() - lease.takenAt < this.renewalIntervalMs()) {
      this.track(this.runStep(lease, step));
      return;
    }
    this.track(this.handBack(lease));
  }

  private async handBack(lease: SagaTimerLease): Promise<void> {
    try {
      // Claimable from now: the claim this wakes takes it if a slot is free, or else (finding no slot) leaves
      // `slotsRanShort` set, so the step that frees one claims it. A claim already under way when the release
      // committed may have missed it; the wake-up is kept for after that claim.
      if (await this.timers.release(this.pool, lease, new Date())) this.wakeNow();
      else this.observer.leaseLost(lease);
    } catch (error) {
      // The lease expires and the subject is claimed then, as after a step whose release failed.
      this.observer.stepFailed(lease, error);
    }
  }

  private wakeNow(): void {
    if (this.wake) this.wake();
    else this.wakeRequested = true;
  }

  private async run(): Promise<void> {
    let failedBackoffMs: number | undefined;
    while (this.running) {
      const free = this.options.concurrency - this.inFlight.size;
      let claimedAll = false;
      try {
        const leases = await this.timers.claimDue(this.pool, free, this.options.leaseMs);
        this.slotsRanShort = leases.length >= free;
        if (leases.length > 0) this.pacing.sawRows();
        leases.forEach((lease) => this.track(this.runStep(lease)));
        claimedAll = free > 0 && this.slotsRanShort;
        failedBackoffMs = undefined;
      } catch (error) {
        this.slotsRanShort = true;
        this.observer.pollFailed(error);
        failedBackoffMs = Math.min((failedBackoffMs ?? this.options.pollMs) * 2, 5_000);
      }
      if (!claimedAll && this.running) await this.sleep(failedBackoffMs ?? this.pacing.nextDelayMs());
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => {
      this.inFlight.delete(work);
      // A slot freed up: look for the work it may have left waiting now rather than after the poll interval.
      if (this.slotsRanShort) this.wakeNow();
    });
  }

  private async runStep(lease: SagaTimerLease, step: SagaStep = this.step): Promise<void> {
    /** Set once the step released the lease in its own transaction: whether it still held it. */
    let releasedHeld: boolean | undefined;
    const stepLease: SagaStepLease = {
      ...lease,
      releaseWrite: (nextDueAt) => this.timers.releaseWrite(lease, nextDueAt),
      releasedBy: (written) => {
        releasedHeld = this.timers.releasedBy(written);
      },
    };
    const renewal = setInterval(() => {
      this.timers.renew(this.pool, lease, this.options.leaseMs).then(
        // A renewal that lands just after the step's own release finds no lease: that is not a loss.
        (held) => {
          if (!held && releasedHeld === undefined) this.observer.leaseLost(lease);
        },
        () => undefined, // a failed renewal is retried on the next tick; an expired lease is the safe outcome
      );
    }, this.renewalIntervalMs());
    let next: Date | null;
    /** Whether a step that threw had released its lease first (in a transaction that may since have rolled back). */
    let releasedBeforeFailing = false;
    try {
      next = await step(stepLease);
    } catch (error) {
      this.observer.stepFailed(lease, error);
      next = new Date(Date.now() + this.options.errorRetryMs);
      // Whatever the step released, what it threw after may have undone it: the loop's release below decides.
      releasedBeforeFailing = releasedHeld === true;
      releasedHeld = undefined;
    } finally {
      clearInterval(renewal);
    }
    try {
      const held = releasedHeld ?? (await this.timers.release(this.pool, lease, next));
      // No lease left after the step's own committed release is that release, not a loss.
      if (!held && !releasedBeforeFailing) this.observer.leaseLost(lease);
      else if (next !== null) this.notifyDue(next);
    } catch (error) {
      // The lease will expire and another claim re-runs the (idempotent) step.
      this.observer.stepFailed(lease, error);
    }
  }

  private renewalIntervalMs(): number {
    return Math.max(1, Math.floor(this.options.leaseMs / 3));
  }

  private sleep(ms: number): Promise<void> {
    if (this.wakeRequested) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      // Cleared however the sleep ends: a wake left over from a sleep that timed out would swallow the next
      // wake-up (calling it would resolve nothing), and the work it announced would wait for the next poll.
      const wake = (): void => {
        clearTimeout(timer);
        if (this.wake === wake) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wake = wake;
    });
  }
}
