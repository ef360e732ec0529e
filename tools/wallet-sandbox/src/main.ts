import './telemetry';

import { sandboxLog } from './sandbox-log';
import { WalletSandbox } from './wallet-sandbox';
import { walletSandboxConfig } from './wallet-sandbox.config';

/**
 * `npm run wallet:sandbox`: the platform wallet's stand-in. The "listening" line carries the bound URLs (test
 * helpers start it on port 0 and read them from it).
 */
async function main(): Promise<void> {
  const config = walletSandboxConfig();
  const sandbox = await WalletSandbox.start(config);
  sandboxLog('log', 'wallet-sandbox listening', {
    event: 'listening',
    api_url: sandbox.apiUrl,
    admin_url: sandbox.adminUrl,
    schema: config.schema,
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    sandboxLog('log', `${signal}: stopping`);
    sandbox.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        sandboxLog('error', `stop failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // Started by a test helper: exit with the test process, even when it died without stopping us.
  if (process.env['WALLET_SANDBOX_EXIT_WITH_STDIN'] === 'true') {
    process.stdin.on('end', () => stop('stdin closed'));
    process.stdin.resume();
  }
}

main().catch((error: unknown) => {
  sandboxLog(
    'error',
    `wallet-sandbox failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
