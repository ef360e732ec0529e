/** Which subject's sagas are due: the unit of serialisation (for settle-worker, one bet of one tenant). */
export interface SagaSubject {
  readonly tenantId: string;
  readonly subjectId: string;
}

/** A claimed timer: its holder may act on the subject until the lease expires or is released. */
export interface SagaTimerLease extends SagaSubject {
  /** Fencing token: release and renewal succeed only while the lease is still this one. */
  readonly leaseToken: string;
  readonly generation: string;
  /** How many times this timer was claimed, this claim included (a growing number hints at crashes). */
  readonly claims: number;
}

/**
 * A lease taken with the schedule, in the caller's transaction (`PostgresSagaTimers.scheduleLeased`): it runs from
 * the statement that took it, so it has aged by the time that transaction commits.
 */
export interface ScheduledLease extends SagaTimerLease {
  /** `Date.now()` when the lease was taken. */
  readonly takenAt: number;
}
