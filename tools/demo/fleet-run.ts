import { type Fleet, prepareFleet, startFleet, stopEverythingStarted } from './fleet';

export interface FleetRunOptions {
  /** Prefix of every line printed (`demo`, `bench`). */
  readonly label: string;
  readonly logDir: string;
  readonly tenantSecrets: string;
  readonly readyTimeoutMs: number;
  readonly stopTimeoutMs: number;
  /** The whole run, start-up included, ends with exit 2 after this long. */
  readonly timeoutMs: number;
  /** Runs after the stack is up and the build done, before the fleet starts (the bench's pgbench ceiling). */
  readonly beforeFleet?: () => Promise<void>;
  /** Start the NOC with the fleet (apps/noc) and print its URL. */
  readonly noc?: boolean;
  /** Leave the fleet up after the workload until Ctrl-C (DEMO_KEEP_RUNNING=1). */
  readonly keepRunning?: boolean;
}

/**
 * Prepares and starts the fleet, runs `body` (which stops sending when `aborted` fires), and stops the fleet
 * whatever happens: normal end, failure,
 * Ctrl-C, SIGTERM or the run's deadline. Exits the process with `body`'s code (1 on an error, 2 on timeout,
 * 130/143 on a signal).
 */
export function runWithFleet(
  options: FleetRunOptions,
  body: (fleet: Fleet, aborted: AbortSignal) => Promise<number>,
): void {
  const log = (message: string) => console.log(`${options.label}: ${message}`);
  let fleet: Fleet | undefined;
  let finishing = false;
  // Workloads stop sending when the run is cut short: a client that keeps its keep-alive connections busy
  // would hold the gateway's graceful shutdown open until the SIGKILL.
  const abort = new AbortController();
  let workload: Promise<unknown> = Promise.resolve();
  const finish = async (code: number) => {
    if (finishing) return;
    finishing = true;
    clearTimeout(watchdog);
    abort.abort();
    // Requests in flight finish first: the gateway closes idle keep-alive connections when it stops, but one
    // that is busy at that moment stays open until its keep-alive timeout (65 s), past our SIGKILL.
    await Promise.race([
      workload.catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, 5_000)),
    ]);
    await stopEverythingStarted(options.stopTimeoutMs, log).catch((error: unknown) =>
      log(`stopping the fleet failed: ${String(error)}`),
    );
    process.exit(code);
  };
  const watchdog = setTimeout(() => {
    log(`not finished within ${options.timeoutMs / 1_000} s; stopping`);
    void finish(2);
  }, options.timeoutMs);
  process.on('SIGINT', () => void finish(130));
  process.on('SIGTERM', () => void finish(143));

  const run = async (): Promise<number> => {
    prepareFleet((step) => log(`== ${step}`));
    await options.beforeFleet?.();
    log(`== starting the fleet (logs in ${options.logDir}/)`);
    fleet = await startFleet({ ...options, log });
    log(
      `   wallet sandbox and all ${options.noc ? 'six services and the NOC' : 'six services'} answer 200 on /health/ready`,
    );
    if (fleet.nocUrl) log(`== NOC (live figures while the traffic flows): ${fleet.nocUrl}`);
    workload = body(fleet, abort.signal);
    const code = (await workload) as number;
    if (options.keepRunning) {
      clearTimeout(watchdog);
      log('== the fleet keeps running (DEMO_KEEP_RUNNING=1); Ctrl-C stops it');
      for (;;) {
        fleet.assertRunning();
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
    return code;
  };
  run().then(
    (code) => finish(code),
    (error: unknown) => {
      if (finishing) return;
      console.error(
        `${options.label}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      void finish(1);
    },
  );
}
