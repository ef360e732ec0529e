import { execFileSync } from 'node:child_process';

/**
 * Before any integration suite: the real stack up (a no-op when it already answers) through the same command
 * a developer runs, and the apps built, since money-path and relay tests run them as real processes (Nx skips
 * the builds when nothing changed).
 */
export default function globalSetup(): void {
  execFileSync('npx', ['tsx', 'tools/stack/src/cli.ts', 'up'], { stdio: 'inherit' });
  execFileSync(
    'npx',
    [
      'nx',
      'run-many',
      '-t',
      'build',
      '--projects',
      'outbox-relay,bet-gateway,settle-worker,noc,reconciliation,wagering-progress,bonus-grant',
    ],
    {
      stdio: 'inherit',
    },
  );
}
