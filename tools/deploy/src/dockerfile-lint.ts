import fs from 'node:fs';
import path from 'node:path';

import { DockerfileParser } from 'dockerfile-ast';
import { validate, ValidationSeverity, type ValidatorSettings } from 'dockerfile-utils';

import { WORKSPACE } from './deploy-targets';

/** The Dockerfiles deploy:check lints: every app's image comes from this one (docker/README.md). */
export const DOCKERFILES = [path.join(WORKSPACE, 'docker', 'Dockerfile')];

// What dockerfile-utils only warns about by default fails the check too: casing, a second CMD/ENTRYPOINT/
// HEALTHCHECK (only the last one counts), JSON in single quotes (run as a shell string), a relative WORKDIR.
const STRICT: ValidatorSettings = {
  deprecatedMaintainer: ValidationSeverity.ERROR,
  directiveCasing: ValidationSeverity.ERROR,
  emptyContinuationLine: ValidationSeverity.ERROR,
  instructionCasing: ValidationSeverity.ERROR,
  instructionCmdMultiple: ValidationSeverity.ERROR,
  instructionEntrypointMultiple: ValidationSeverity.ERROR,
  instructionHealthcheckMultiple: ValidationSeverity.ERROR,
  instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
  instructionWorkdirRelative: ValidationSeverity.ERROR,
};

/**
 * The problems of one Dockerfile, each `<file>:<line>: <message>`: everything dockerfile-utils reports (the
 * Docker builder's own syntax rules), then the runtime contract the charts rely on (docker/README.md): the last
 * stage runs as a non-root numeric user, has a HEALTHCHECK and an init process as ENTRYPOINT.
 */
export function lintDockerfile(content: string, file: string): string[] {
  const where = (line: number) => `${file}:${line + 1}`;
  const problems = validate(content, STRICT).map(
    (diagnostic) => `${where(diagnostic.range.start.line)}: ${diagnostic.message} (dockerfile-utils)`,
  );
  const dockerfile = DockerfileParser.parse(content);
  const froms = dockerfile.getFROMs();
  const last = froms[froms.length - 1];
  if (!last) return problems;
  const start = last.getRange().start.line;
  const runtime = dockerfile
    .getInstructions()
    .filter((instruction) => instruction.getRange().start.line > start);
  const lastOf = (keyword: string) =>
    runtime.filter((instruction) => instruction.getKeyword() === keyword).pop();
  const user = lastOf('USER')?.getArgumentsContent()?.trim();
  // eslint-disable-next-line security/detect-unsafe-regex -- linear: anchored, the optional group holds one plus
  if (!user || !/^[1-9]\d*(:\d+)?$/.test(user))
    problems.push(
      `${where(start)}: the runtime stage must end as a non-root numeric USER (e.g. 1000:1000), has ${user ?? 'none'}`,
    );
  if (!lastOf('HEALTHCHECK'))
    problems.push(`${where(start)}: the runtime stage has no HEALTHCHECK (on /health/live)`);
  const entrypoint = lastOf('ENTRYPOINT')?.getArgumentsContent() ?? '';
  if (!/"\/usr\/bin\/tini"|"tini"/.test(entrypoint))
    problems.push(
      `${where(start)}: the runtime stage's ENTRYPOINT must be an init process (["/usr/bin/tini", "--"])`,
    );
  return problems;
}

export function lintDockerfiles(files: readonly string[] = DOCKERFILES): string[] {
  return files.flatMap((file) =>
    lintDockerfile(fs.readFileSync(file, 'utf8'), path.relative(WORKSPACE, file)),
  );
}
