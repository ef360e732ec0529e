import { PitbossError } from '@pitboss/contracts';

import { type Approver } from './actor';
import { type ChangeRequest, statusAt } from './change-request';
import { decideApprove, decideReject, decideSubmit, type SubmitChange } from './change-request.decider';
import { type ChangePolicy } from './four-eyes-policy';

const NOW = new Date('2026-12-02T08:00:00Z');
const HOUR = 3_600_000;
const policy: ChangePolicy = {
  kind: 'game_config',
  proposeScope: 'config:write',
  approveScope: 'config:approve',
  rule: { type: 'unless_only_disabling' },
};
const alice: Approver = {
  subject: 'alice',
  clientId: 'ops-a',
  tenantId: 'brand-a',
  scopes: ['config:write'],
};
const bob: Approver = { subject: 'bob', clientId: 'ops-b', tenantId: 'brand-a', scopes: ['config:approve'] };

function submit(overrides: Partial<SubmitChange> = {}, onlyDisables = false): ChangeRequest {
  const command: SubmitChange = {
    id: 'cr-1',
    kind: 'game_config',
    payload: { limits: 1 },
    author: alice,
    reason: 'new limits',
    now: NOW,
    ttlMs: 72 * HOUR,
    ...overrides,
  };
  return decideSubmit(command, policy, { onlyDisables });
}

function codeOf(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    if (error instanceof PitbossError) return error.code;
    throw error;
  }
  throw new Error('expected a PitbossError');
}

describe(decideSubmit.name, () => {
  it('Given a change that turns something on, When it is submitted, Then it waits for a second person', () => {
    const sut = submit();
    expect(sut).toMatchObject({ status: 'pending', fourEyes: true, decidedBy: null });
    expect(sut.expiresAt).toEqual(new Date(NOW.getTime() + 72 * HOUR));
  });

  it('Given a change that only turns features off, When it is submitted, Then it applies at once by its author', () => {
    expect(submit({}, true)).toMatchObject({
      status: 'applied',
      fourEyes: false,
      decidedBy: { subject: 'alice', clientId: 'ops-a', tenantId: 'brand-a' },
    });
  });

  it('Given an author without the propose scope, When they submit, Then INSUFFICIENT_SCOPE', () => {
    expect(codeOf(() => submit({ author: { ...alice, scopes: [] } }))).toBe('INSUFFICIENT_SCOPE');
  });

  it.each([
    [{ type: 'always' } as const, { onlyDisables: true }, true],
    [
      { type: 'above_amount', minorUnits: 10_000 } as const,
      { onlyDisables: false, amountMinorUnits: 10_000 },
      false,
    ],
    [
      { type: 'above_amount', minorUnits: 10_000 } as const,
      { onlyDisables: false, amountMinorUnits: 10_001 },
      true,
    ],
    [{ type: 'above_amount', minorUnits: 10_000 } as const, { onlyDisables: false }, true],
  ])('Given rule %j and facts %j, Then a second person is needed: %s', (rule, facts, expected) => {
    const request = decideSubmit(
      { id: 'cr', kind: 'k', payload: {}, author: alice, reason: 'r', now: NOW, ttlMs: HOUR },
      { ...policy, rule },
      facts,
    );
    expect(request.fourEyes).toBe(expected);
  });
});

describe(decideApprove.name, () => {
  it('Given a pending request, When another person with the approve scope approves, Then it is applied by them', () => {
    const sut = decideApprove(submit(), bob, policy, NOW);
    expect(sut).toMatchObject({ status: 'applied', decidedBy: { subject: 'bob' }, decidedAt: NOW });
  });

  it('Given a pending request, When its author approves it, Then FOUR_EYES_SELF_APPROVAL', () => {
    const author = { ...alice, scopes: ['config:write', 'config:approve'] };
    expect(codeOf(() => decideApprove(submit({ author }), author, policy, NOW))).toBe(
      'FOUR_EYES_SELF_APPROVAL',
    );
  });

  it('Given a request past its expiry, When approved, Then CHANGE_REQUEST_EXPIRED', () => {
    const later = new Date(NOW.getTime() + 72 * HOUR);
    expect(statusAt(submit(), later)).toBe('expired');
    expect(codeOf(() => decideApprove(submit(), bob, policy, later))).toBe('CHANGE_REQUEST_EXPIRED');
  });

  it('Given an applied request, When approved again, Then CHANGE_REQUEST_NOT_PENDING', () => {
    const applied = decideApprove(submit(), bob, policy, NOW);
    const carol = { ...bob, subject: 'carol' };
    expect(codeOf(() => decideApprove(applied, carol, policy, NOW))).toBe('CHANGE_REQUEST_NOT_PENDING');
  });

  it('Given an approver without the approve scope, Then INSUFFICIENT_SCOPE', () => {
    expect(codeOf(() => decideApprove(submit(), { ...bob, scopes: ['config:write'] }, policy, NOW))).toBe(
      'INSUFFICIENT_SCOPE',
    );
  });

  it('Given an approver of another tenant, Then TENANT_MISMATCH', () => {
    expect(codeOf(() => decideApprove(submit(), { ...bob, tenantId: 'brand-b' }, policy, NOW))).toBe(
      'TENANT_MISMATCH',
    );
  });
});

describe(decideReject.name, () => {
  it('Given a pending request, When rejected with a reason, Then it is rejected and keeps the reason', () => {
    expect(decideReject(submit(), bob, policy, 'limits too high', NOW)).toMatchObject({
      status: 'rejected',
      decisionReason: 'limits too high',
      decidedBy: { subject: 'bob' },
    });
  });

  it('Given a rejected request, When approved, Then CHANGE_REQUEST_NOT_PENDING', () => {
    const rejected = decideReject(submit(), bob, policy, 'no', NOW);
    expect(codeOf(() => decideApprove(rejected, { ...bob, subject: 'carol' }, policy, NOW))).toBe(
      'CHANGE_REQUEST_NOT_PENDING',
    );
  });
});
