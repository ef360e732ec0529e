import { ServiceExitedError, startServiceProcess } from '@pitboss/testing';

/** The built service, started as production starts it, with settings that contradict each other. */
describe('bet-gateway with contradictory settings', () => {
  it('exits 1 at once with the reason as one line on stderr', async () => {
    const failure = await startServiceProcess('bet-gateway', {
      env: { WALLET_TIMEOUT_MS: '5000', DEBIT_RECOVERY_AFTER_MS: '3000' },
    }).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(ServiceExitedError);
    const exited = failure as ServiceExitedError;
    expect([exited.exitCode, exited.stderr]).toEqual([
      1,
      [
        'bet-gateway: invalid configuration: DEBIT_RECOVERY_AFTER_MS (3000) must be greater than WALLET_TIMEOUT_MS ' +
          '(5000): the pending-debit sweep would roll back debits still waiting for the wallet',
      ],
    ]);
    expect(exited.output.some((line) => line.includes('listening on'))).toBe(false);
  });

  it('exits 1 under NODE_ENV=production without AUTH_ISSUER_URL, naming the setting', async () => {
    const failure = await startServiceProcess('bet-gateway', {
      env: { NODE_ENV: 'production', AUTH_ISSUER_URL: '' },
    }).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(ServiceExitedError);
    const exited = failure as ServiceExitedError;
    expect([exited.exitCode, exited.stderr]).toEqual([
      1,
      [
        'bet-gateway: invalid configuration: AUTH_ISSUER_URL must be set in production (the default is the local Keycloak)',
      ],
    ]);
  });
});
