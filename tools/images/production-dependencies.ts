import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';

import { IMAGES_DIR, run, WORKSPACE } from './buildah';

const MANIFESTS = ['package.json', 'package-lock.json'] as const;
const PATCHES = join(WORKSPACE, 'patches');

/**
 * A directory with the workspace's package.json, package-lock.json and `npm ci --omit=dev` node_modules with
 * patches/ applied (the Dockerfile's production-dependencies stage), kept per lockfile and patches under
 * .stack/images/production-dependencies: a run whose lockfile, dependencies and patches did not change installs
 * nothing.
 */
export function productionDependencies(): string {
  // Keyed on what npm ci --omit=dev reads: the lockfile and package.json's dependency fields (a new script
  // or devDependency edit in package.json must not reinstall).
  const manifest = JSON.parse(readFileSync(join(WORKSPACE, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const hash = createHash('sha256')
    .update(readFileSync(join(WORKSPACE, 'package-lock.json')))
    .update(
      JSON.stringify(['dependencies', 'optionalDependencies', 'overrides'].map((field) => manifest[field])),
    );
  for (const patch of readdirSync(PATCHES).sort())
    hash.update(patch).update(readFileSync(join(PATCHES, patch)));
  const root = join(IMAGES_DIR, 'production-dependencies');
  const dir = join(root, hash.digest('hex').slice(0, 16));
  if (existsSync(join(dir, 'node_modules'))) return dir;
  console.log('images: npm ci --omit=dev (production dependencies, cached per lockfile)');
  mkdirSync(root, { recursive: true });
  for (const stale of readdirSync(root)) rmSync(join(root, stale), { recursive: true, force: true });
  const partial = `${dir}.partial`;
  mkdirSync(partial, { recursive: true });
  for (const file of MANIFESTS) copyFileSync(join(WORKSPACE, file), join(partial, file));
  // As the Dockerfile: no install scripts (none of the dependencies needs one; @scarf/scarf only phones home).
  run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: partial,
  });
  // What `npm install`'s postinstall does on the host; patch-package is a devDependency, so the workspace's runs.
  cpSync(PATCHES, join(partial, 'patches'), { recursive: true });
  run('node', [join(WORKSPACE, 'node_modules/patch-package/index.js')], { cwd: partial });
  rmSync(join(partial, 'patches'), { recursive: true });
  renameSync(partial, dir);
  return dir;
}
