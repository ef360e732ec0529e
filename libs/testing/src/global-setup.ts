import { execFileSync } from 'node:child_process';

/**
 * Before any integration suite: the real stack up (a no-op when it already answers) through the same command
 * a developer runs, and the outbox-relay built, since relay tests run it as a real process (Nx skips the
 * build when nothing changed).
 */
export default function globalSetup(): void {
  execFileSync('npx', ['tsx', 'tools/stack/src/cli.ts', 'up'], { stdio: 'inherit' });
  execFileSync('npx', ['nx', 'build', 'outbox-relay'], { stdio: 'inherit' });
}
