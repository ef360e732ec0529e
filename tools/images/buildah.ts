import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { join } from 'node:path';

/** Where every image artefact lives: git-ignored, kept between runs. */
export const WORKSPACE = join(__dirname, '../..');
export const IMAGES_DIR = join(WORKSPACE, '.stack/images');

/**
 * buildah with the project's own storage: the vfs driver (no overlay mounts needed, works inside a container
 * or a chroot) under .stack/images, never the machine's /var/lib/containers.
 */
export function buildah(args: readonly string[], options: ExecFileSyncOptions = {}): string {
  return run('buildah', [...storageFlags(), ...args], options);
}

export function storageFlags(): string[] {
  return [
    '--root',
    join(IMAGES_DIR, 'storage'),
    '--runroot',
    join(IMAGES_DIR, 'run'),
    '--storage-driver',
    'vfs',
  ];
}

export function run(command: string, args: readonly string[], options: ExecFileSyncOptions = {}): string {
  try {
    const output = execFileSync(command, args, {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...options,
    });
    return typeof output === 'string' ? output.trim() : '';
  } catch (error) {
    const failed = error as { stderr?: Buffer | string; status?: number };
    const stderr = failed.stderr?.toString().trim().split('\n').slice(-15).join('\n') ?? '';
    throw new Error(`${command} ${args.join(' ')} failed (exit ${failed.status}):\n${stderr}`);
  }
}

/** NAME=value pairs of tools/images/versions.sh, the one place the pinned versions are written. */
export function imageVersions(): Readonly<Record<string, string>> {
  const script = `set -a; source ${JSON.stringify(join(__dirname, 'versions.sh'))}; env -0`;
  const env = run('bash', ['-c', script], { env: { PATH: process.env['PATH'] ?? '' } });
  return Object.fromEntries(
    env
      .split('\0')
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const)
      .filter(([name]) => /^(NODE_|NPM_|DEBIAN_)/.test(name)),
  );
}
