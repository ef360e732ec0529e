export interface PollPacingOptions {
  /** Pause between polls while the source is busy: the pick-up delay of a row under traffic. */
  readonly busyIntervalMs: number;
  /** Pause once the source has been quiet for `idleAfterMs`: the pick-up delay of the first row after a lull. */
  readonly idleIntervalMs: number;
  readonly idleAfterMs: number;
}

/**
 * How long the relay waits before reading a source's outbox again. Every poll is a Postgres transaction, and most
 * sources are quiet most of the time (three services have no events yet): at a fixed 10 ms, six sources cost 600
 * transactions a second doing nothing. A source that had rows in the last `idleAfterMs` is polled at the busy
 * pace, so traffic keeps its pick-up delay; a quiet one at the idle pace, which bounds only the first row's wait.
 */
export class PollPacing {
  private lastRowsAt: number;

  constructor(
    private readonly options: PollPacingOptions,
    private readonly clock: () => number = Date.now,
  ) {
    // Starts idle: a relay that just started has seen no traffic.
    this.lastRowsAt = clock() - options.idleAfterMs;
  }

  sawRows(): void {
    this.lastRowsAt = this.clock();
  }

  nextDelayMs(): number {
    const quietFor = this.clock() - this.lastRowsAt;
    return quietFor >= this.options.idleAfterMs ? this.options.idleIntervalMs : this.options.busyIntervalMs;
  }
}
