import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { findBreakingSchemaChanges } from './backward-compatibility';
import { AVRO_DIR } from './contract-sources';

const BET_SETTLED = `${AVRO_DIR}/rgs.settlements.v1/bet-settled.avsc`;

/** A throwaway git repository holding a copy of the real contracts, committed on `main`. */
function contractsRepository(): {
  root: string;
  git: (...args: string[]) => void;
  editBetSettled: (edit: (schema: { fields: unknown[] }) => void) => void;
} {
  const root = mkdtempSync(join(tmpdir(), 'schemas-check-'));
  const git = (...args: string[]) => {
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], {
      cwd: root,
      stdio: 'ignore',
    });
  };
  cpSync(join(process.cwd(), AVRO_DIR), join(root, AVRO_DIR), { recursive: true });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'contracts');
  const editBetSettled = (edit: (schema: { fields: unknown[] }) => void) => {
    const path = join(root, BET_SETTLED);
    const schema = JSON.parse(readFileSync(path, 'utf8')) as { fields: unknown[] };
    edit(schema);
    writeFileSync(path, JSON.stringify(schema));
  };
  return { root, git, editBetSettled };
}

describe(findBreakingSchemaChanges.name, () => {
  let repo: ReturnType<typeof contractsRepository>;

  beforeEach(() => {
    repo = contractsRepository();
    repo.git('checkout', '-q', '-b', 'feature');
  });
  afterEach(() => rmSync(repo.root, { recursive: true, force: true }));

  it('accepts an unchanged branch', () => {
    expect(findBreakingSchemaChanges(repo.root, 'main')).toEqual([]);
  });

  it('accepts a new optional field with a default', () => {
    repo.editBetSettled((schema) =>
      schema.fields.push({ name: 'note', type: ['null', 'string'], default: null }),
    );

    expect(findBreakingSchemaChanges(repo.root, 'main')).toEqual([]);
  });

  it('refuses a new field without a default', () => {
    repo.editBetSettled((schema) => schema.fields.push({ name: 'note', type: 'string' }));

    const problems = findBreakingSchemaChanges(repo.root, 'main');

    expect(problems).toEqual([
      expect.objectContaining({ topic: 'rgs.settlements.v1', reason: expect.stringContaining('BetSettled') }),
    ]);
  });

  it('refuses a changed field type', () => {
    repo.editBetSettled((schema) => {
      schema.fields[0] = { name: 'bet_id', type: 'long' };
    });

    expect(findBreakingSchemaChanges(repo.root, 'main').map((problem) => problem.topic)).toEqual([
      'rgs.settlements.v1',
    ]);
  });

  it('refuses a removed event type', () => {
    unlinkSync(join(repo.root, BET_SETTLED));

    const [problem] = findBreakingSchemaChanges(repo.root, 'main');

    expect(problem?.reason).toContain('bet-settled.avsc');
  });

  it('on main, refuses a breaking change hidden in an earlier commit of the history', () => {
    repo.git('checkout', '-q', 'main');
    repo.editBetSettled((schema) => schema.fields.push({ name: 'note', type: 'string' }));
    repo.git('commit', '-q', '-am', 'breaking');
    repo.editBetSettled((schema) =>
      schema.fields.push({ name: 'extra', type: ['null', 'string'], default: null }),
    );
    repo.git('commit', '-q', '-am', 'compatible on top');

    // Transitive (BACKWARD_TRANSITIVE): the break shows between the two commits and between the first commit and
    // the working tree, which still cannot read what the first commit wrote; the compatible commit adds nothing.
    const problems = findBreakingSchemaChanges(repo.root, 'main');
    expect(problems.map((problem) => problem.topic)).toEqual(['rgs.settlements.v1', 'rgs.settlements.v1']);
    expect(problems[1]?.between).toMatch(/ → working tree$/);
    expect(problems[0]?.between.split(' → ')[0]).toBe(problems[1]?.between.split(' → ')[0]);
  });
});
