/**
 * `npm run images:build [-- --app bet-gateway] [--dockerfile]`: one OCI image per service, without a Docker
 * engine (docker/README.md). By default the Dockerfile's build stages run on the host (the app's Nx build and
 * `npm ci --omit=dev`, cached by lockfile) and buildah assembles the runtime stage as the Dockerfile writes it
 * (runtime-stage.ts); `--dockerfile` hands the whole Dockerfile to `buildah bud --isolation chroot` instead.
 * Each image is committed to .stack/images/storage, copied to an OCI layout in .stack/images/oci/<app>, and gets
 * a CycloneDX SBOM in .stack/images/sbom/<app>.cdx.json.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, posix } from 'node:path';
import { parseArgs } from 'node:util';

import { buildah, IMAGES_DIR, imageVersions, run, WORKSPACE } from './buildah';
import { productionDependencies } from './production-dependencies';
import { planRuntimeStage, type RuntimeStagePlan } from './runtime-stage';
import { writeImageSbom } from './sbom';

const DOCKERFILE = join(WORKSPACE, 'docker/Dockerfile');

export interface BuiltImage {
  readonly app: string;
  readonly image: string;
  readonly ociLayout: string;
  readonly ociRef: string;
  readonly sbom: string;
  readonly seconds: number;
  readonly bytes: number;
}

export function listApps(): string[] {
  return readdirSync(join(WORKSPACE, 'apps')).filter((app) =>
    existsSync(join(WORKSPACE, 'apps', app, 'project.json')),
  );
}

/** The app's documented HTTP port: the `defaultPort` its main.ts starts with. */
export function defaultPortOf(app: string): string {
  const main = readFileSync(join(WORKSPACE, 'apps', app, 'src/main.ts'), 'utf8');
  const port = /defaultPort:\s*(\d+)/.exec(main)?.[1];
  if (!port) throw new Error(`apps/${app}/src/main.ts names no defaultPort`);
  return port;
}

/**
 * The commit the images are built from, `-dirty` when the sources or manifests they are built from differ from it
 * (the host build reads the work tree, not the commit). One tag for every image of a run.
 */
export function imageTag(): string {
  const commit = run('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: WORKSPACE });
  const changed = run(
    'git',
    ['status', '--porcelain', '--', 'apps', 'libs', 'package.json', 'package-lock.json', 'docker'],
    {
      cwd: WORKSPACE,
    },
  );
  return changed ? `${commit}-dirty` : commit;
}

export function ensureToolsAndBaseImages(): void {
  run('bash', [join(__dirname, 'ensure-tools.sh')], { stdio: 'inherit' });
  run('bash', [join(__dirname, 'base-image.sh'), IMAGES_DIR], { stdio: 'inherit' });
}

export function buildImage(app: string, options: { dockerfile?: boolean; tag?: string } = {}): BuiltImage {
  const started = process.hrtime.bigint();
  const tag = options.tag ?? imageTag();
  const image = `localhost/pitboss/${app}:${tag}`;
  const buildArgs = { APP: app, PORT: defaultPortOf(app) };
  const labels = [
    `org.opencontainers.image.revision=${run('git', ['rev-parse', 'HEAD'], { cwd: WORKSPACE })}`,
  ];
  const dependencies = productionDependencies();
  if (options.dockerfile) {
    buildah(
      [
        'bud',
        '--isolation',
        'chroot',
        '--format',
        'docker',
        '--file',
        DOCKERFILE,
        ...Object.entries(buildArgs).flatMap(([name, value]) => ['--build-arg', `${name}=${value}`]),
        ...hostCaBundle(),
        ...labels.flatMap((label) => ['--label', label]),
        '--tag',
        image,
        WORKSPACE,
      ],
      { stdio: 'inherit' },
    );
  } else {
    run('npx', ['nx', 'build', app, '--outputStyle=static'], {
      cwd: WORKSPACE,
      env: { ...process.env, NX_DAEMON: 'false' },
    });
    const stage = stageBuildOutput(app);
    const plan = planRuntimeStage(readFileSync(DOCKERFILE, 'utf8'), buildArgs);
    assemble(plan, image, labels, (from, source) => hostSourceOf(from, source, { app, stage, dependencies }));
  }
  const ociLayout = join(IMAGES_DIR, 'oci', app);
  rmSync(ociLayout, { recursive: true, force: true });
  mkdirSync(join(IMAGES_DIR, 'oci'), { recursive: true });
  buildah(['push', '--quiet', image, `oci:${ociLayout}:${tag}`]);
  const sbom = writeImageSbom({ app, image, tag, dependencies, versions: imageVersions() });
  const bytes = imageBytes(image);
  removeOlderImages(app, image);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { app, image, ociLayout, ociRef: tag, sbom, seconds, bytes };
}

/**
 * The host's extra CA bundle (NODE_EXTRA_CA_CERTS, e.g. a TLS-inspecting proxy's), lent to the build stages' RUN
 * steps over the image's own bundle, so their npm ci reaches the registry as the host's does. Not in any layer.
 */
function hostCaBundle(): string[] {
  const bundle = process.env['NODE_EXTRA_CA_CERTS'];
  if (!bundle || !existsSync(bundle)) return [];
  const inBuild = '/etc/ssl/certs/ca-certificates.crt';
  return ['--volume', `${bundle}:${inBuild}:ro`, '--build-arg', `NODE_EXTRA_CA_CERTS=${inBuild}`];
}

/** dist/apps/<app> plus the package.json whose `main` is the service, as the Dockerfile's build stage writes it. */
function stageBuildOutput(app: string): string {
  const stage = join(IMAGES_DIR, 'stage', app);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(join(IMAGES_DIR, 'stage'), { recursive: true });
  cpSync(join(WORKSPACE, 'dist/apps', app), stage, { recursive: true });
  writeFileSync(
    join(stage, 'package.json'),
    `${JSON.stringify({ name: `@pitboss/${app}`, private: true, main: `apps/${app}/src/main.js` })}\n`,
  );
  return stage;
}

/** Where, on the host, the file a runtime-stage COPY names was built. */
function hostSourceOf(
  from: string | undefined,
  source: string,
  built: { app: string; stage: string; dependencies: string },
): string {
  if (from === undefined) return join(WORKSPACE, source);
  if (from === 'production-dependencies' && source === '/workspace/node_modules') {
    return join(built.dependencies, 'node_modules');
  }
  const dist = `/workspace/dist/apps/${built.app}`;
  if (from === 'build' && (source === dist || source.startsWith(`${dist}/`))) {
    return join(built.stage, source.slice(dist.length));
  }
  throw new Error(
    `the runtime stage copies ${source} from stage ${from}, which the host build does not produce (tools/images/build.ts)`,
  );
}

function assemble(
  plan: RuntimeStagePlan,
  image: string,
  labels: readonly string[],
  sourceOf: (from: string | undefined, source: string) => string,
): void {
  const container = buildah(['from', '--quiet', '--pull-never', plan.baseImage]);
  try {
    const workingDir = plan.workingDir ?? '/';
    for (const copy of plan.copies) {
      const destination = posix.isAbsolute(copy.destination)
        ? copy.destination
        : posix.join(workingDir, copy.destination);
      buildah(['copy', '--quiet', container, sourceOf(copy.from, copy.source), destination]);
    }
    const health = plan.healthcheck;
    buildah([
      'config',
      ...(plan.workingDir ? ['--workingdir', plan.workingDir] : []),
      ...plan.env.flatMap(([name, value]) => ['--env', `${name}=${value}`]),
      ...plan.labels.flatMap(([name, value]) => ['--label', `${name}=${value}`]),
      ...labels.flatMap((label) => ['--label', label]),
      ...(plan.user ? ['--user', plan.user] : []),
      ...plan.ports.flatMap((port) => ['--port', port]),
      ...plan.volumes.flatMap((volume) => ['--volume', volume]),
      ...(plan.stopSignal ? ['--stop-signal', plan.stopSignal] : []),
      ...(health
        ? [
            '--healthcheck',
            // buildah reads `CMD a b c` as shell words into the exec form (it mangles a JSON array).
            healthcheckWords(health.command),
            ...(['interval', 'timeout', 'start-period', 'retries'] as const).flatMap((flag) =>
              health.flags[flag] ? [`--healthcheck-${flag}`, health.flags[flag]] : [],
            ),
          ]
        : []),
      ...(plan.entrypoint ? ['--entrypoint', JSON.stringify(plan.entrypoint)] : []),
      ...(plan.cmd ? ['--cmd', JSON.stringify(plan.cmd)] : []),
      container,
    ]);
    buildah(['commit', '--quiet', '--format', 'docker', container, image]);
  } finally {
    buildah(['rm', container]);
  }
}

function healthcheckWords(command: readonly string[]): string {
  return `CMD ${command.map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ')}`;
}

/** Earlier builds of the app: with vfs storage each is a full copy, so they would fill the disk. */
function removeOlderImages(app: string, keep: string): void {
  const images = JSON.parse(buildah(['images', '--json'])) as Array<{ id: string; names?: string[] }>;
  const older = images.filter(
    (candidate) =>
      candidate.names?.some((name) => name.startsWith(`localhost/pitboss/${app}:`)) &&
      !candidate.names.includes(keep),
  );
  for (const { id } of older) buildah(['rmi', '--force', id]);
}

/** The uncompressed size of the image's layers, as `buildah images` prints it ("427 MB"). */
function imageBytes(image: string): number {
  const images = JSON.parse(buildah(['images', '--json', image])) as Array<{ size?: string }>;
  const [amount, unit] = (images[0]?.size ?? '0 B').split(' ');
  const scale: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9 };
  return Number(amount) * (scale[unit ?? 'B'] ?? 1);
}

function main(): void {
  const { values } = parseArgs({
    options: { app: { type: 'string', multiple: true }, dockerfile: { type: 'boolean', default: false } },
  });
  const known = listApps();
  const apps = values.app?.flatMap((app) => app.split(',')) ?? known;
  const unknown = apps.filter((app) => !known.includes(app));
  if (unknown.length > 0) throw new Error(`no such app: ${unknown.join(', ')} (apps: ${known.join(', ')})`);
  const started = Date.now();
  ensureToolsAndBaseImages();
  const baseSeconds = (Date.now() - started) / 1000;
  const tag = imageTag();
  for (const app of apps) {
    const built = buildImage(app, { dockerfile: values.dockerfile, tag });
    console.log(
      `images: ${built.image} in ${built.seconds.toFixed(1)} s, ${(built.bytes / 1e6).toFixed(0)} MB ` +
        `(${(directoryBytes(built.ociLayout) / 1e6).toFixed(0)} MB compressed); ` +
        `OCI layout ${posix.relative(WORKSPACE, built.ociLayout)}:${built.ociRef}, SBOM ${posix.relative(WORKSPACE, built.sbom)}`,
    );
  }
  console.log(
    `images: ${apps.length} image(s) in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
      `(tools and base images ${baseSeconds.toFixed(1)} s)`,
  );
}

function directoryBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`images:build failed: ${(error as Error).message}`);
    process.exit(1);
  }
}
