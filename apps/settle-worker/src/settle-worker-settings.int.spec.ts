import { ServiceExitedError, startServiceProcess } from '@pitboss/testing';

/** The built worker, started as production starts it, with settings that contradict each other. */
describe('settle-worker with contradictory settings', () => {
  it('exits 1 at once with the reason as one line on stderr', async () => {
    const failure = await startServiceProcess('settle-worker', {
      env: { WALLET_TIMEOUT_MS: '2000', SETTLE_LEASE_MS: '1000' },
    }).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(ServiceExitedError);
    const exited = failure as ServiceExitedError;
    expect([exited.exitCode, exited.stderr]).toEqual([
      1,
      [
        'settle-worker: invalid configuration: SETTLE_LEASE_MS (1000) must be greater than WALLET_TIMEOUT_MS ' +
          "(2000): a bet's lease would expire during its wallet call and another replica would call the wallet for it too",
      ],
    ]);
  });
});
