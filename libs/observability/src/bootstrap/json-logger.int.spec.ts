import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const WORKSPACE = join(__dirname, '../../../..');

describe('ServiceJsonLogger in a process that is SIGKILLed', () => {
  it('has written every line to stdout before the process dies', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'json-logger.kill-fixture.ts')],
      { cwd: WORKSPACE, encoding: 'utf8', timeout: 60_000 },
    );

    expect(run.signal).toBe('SIGKILL');
    const lines = run.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1_001);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({
      level: 'log',
      service: 'kill-fixture',
      context: 'Fixture',
      message: 'last words before SIGKILL',
    });
  });
});
