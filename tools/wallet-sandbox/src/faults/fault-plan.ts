import { type FaultSettings, type FaultyOperation, NO_FAULTS } from './fault-settings';

/** What happens to one API request. */
export type FaultDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'error' }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'commit_then_drop' };

/**
 * The faults in force, switched at run time by the admin API. A rate of 1 always applies and 0 never does, so
 * tests can rely on them; rates between draw from `random` (injectable for tests).
 */
export class FaultPlan {
  private current: FaultSettings = NO_FAULTS;

  constructor(private readonly random: () => number = Math.random) {}

  get settings(): FaultSettings {
    return this.current;
  }

  set(settings: FaultSettings): void {
    this.current = settings;
  }

  latencyFor(operation: FaultyOperation): number {
    return this.applies(operation) ? this.current.latency_ms : 0;
  }

  /** Decided once per request, before it is handled: error and timeout first, as they stop any processing. */
  decide(operation: FaultyOperation): FaultDecision {
    if (!this.applies(operation)) return { kind: 'none' };
    if (this.draw(this.current.error_rate)) return { kind: 'error' };
    if (this.draw(this.current.timeout_rate)) return { kind: 'timeout' };
    if (this.draw(this.current.commit_then_drop_rate)) return { kind: 'commit_then_drop' };
    return { kind: 'none' };
  }

  private applies(operation: FaultyOperation): boolean {
    const { operations } = this.current;
    return operations === undefined || operations.includes(operation);
  }

  private draw(rate: number): boolean {
    if (rate <= 0) return false;
    if (rate >= 1) return true;
    return this.random() < rate;
  }
}
