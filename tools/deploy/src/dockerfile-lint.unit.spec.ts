import fs from 'node:fs';

import { DOCKERFILES, lintDockerfile, lintDockerfiles } from './dockerfile-lint';

const RUNTIME = [
  'FROM localhost/pitboss/node-base:20 AS runtime',
  'USER 1000:1000',
  'HEALTHCHECK --interval=10s CMD ["node", "-e", "0"]',
  'ENTRYPOINT ["/usr/bin/tini", "--"]',
  'CMD ["node", "/app"]',
];
const lint = (lines: readonly string[]) => lintDockerfile(`${lines.join('\n')}\n`, 'Dockerfile');

describe('dockerfile lint (dockerfile-utils + the runtime contract)', () => {
  it('passes the project Dockerfile', () => {
    expect(DOCKERFILES.every((file) => fs.existsSync(file))).toBe(true);
    expect(lintDockerfiles()).toEqual([]);
  });

  it('passes a minimal runtime stage that keeps the contract', () => {
    expect(lint(RUNTIME)).toEqual([]);
  });

  it("reports dockerfile-utils' errors with file and line", () => {
    const problems = lint([...RUNTIME, 'RUNN echo hi', 'EXPOSE http', 'HEALTHCHECK --interval=10 CMD true']);
    expect(problems).toEqual(
      expect.arrayContaining([
        'Dockerfile:6: Unknown instruction: RUNN (dockerfile-utils)',
        'Dockerfile:7: Invalid containerPort: http (dockerfile-utils)',
        expect.stringMatching(/^Dockerfile:8: .*missing unit in duration 10/),
      ]),
    );
  });

  it('fails what dockerfile-utils only warns about by default (a second CMD, lower-case instructions)', () => {
    const problems = lint([...RUNTIME, 'cmd ["node", "/other"]']);
    expect(problems.some((problem) => problem.startsWith('Dockerfile:6:') && /case/i.test(problem))).toBe(
      true,
    );
    expect(problems.some((problem) => /CMD/.test(problem) && /multiple|only the last/i.test(problem))).toBe(
      true,
    );
  });

  it.each([
    ['runs as root', RUNTIME.filter((line) => !line.startsWith('USER')), /non-root numeric USER.*none/],
    ['ends as USER root', [...RUNTIME, 'USER root'], /non-root numeric USER.*root/],
    ['has no HEALTHCHECK', RUNTIME.filter((line) => !line.startsWith('HEALTHCHECK')), /no HEALTHCHECK/],
    ['has no init process', RUNTIME.filter((line) => !line.startsWith('ENTRYPOINT')), /init process/],
  ])('refuses a runtime stage that %s', (_, lines, message) => {
    expect(lint(lines)).toEqual([expect.stringMatching(message)]);
  });

  it('checks the last stage only: a root build stage is fine', () => {
    expect(lint(['FROM localhost/pitboss/node-build:20 AS build', 'USER root', ...RUNTIME])).toEqual([]);
  });
});
