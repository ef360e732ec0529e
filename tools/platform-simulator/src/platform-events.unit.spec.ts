import { avroTypeOf, TOPIC_VALUE_SCHEMAS, toAvroValue } from '@pitboss/contracts';

import { depositCaptured, keyOf, type PlatformEvent, profileChanged, selfExcluded } from './platform-events';

function schemaProblems(event: PlatformEvent): string[] {
  const schema = TOPIC_VALUE_SCHEMAS[event.topic as keyof typeof TOPIC_VALUE_SCHEMAS];
  if (schema === undefined) throw new Error(`no schema for ${event.topic}`);
  const type = avroTypeOf(schema);
  const problems: string[] = [];
  type.isValid(toAvroValue(event.envelope, type), { errorHook: (path) => problems.push(path.join('.')) });
  return problems;
}

describe('platform simulator events', () => {
  const at = new Date('2026-03-01T00:00:00Z');

  it('Given a profile, When built, Then it is a valid players.v1 player.profile_changed keyed tenant:player', () => {
    const event = profileChanged({
      tenantId: 'brand-a',
      playerId: 'p-1',
      country: 'gb',
      licence: 'gb',
      kycLevel: 2,
      segments: ['vip'],
      accountCreatedAt: at,
    });
    expect(schemaProblems(event)).toEqual([]);
    expect(event.envelope.payload).toMatchObject({
      country: 'GB',
      licence: 'GB',
      brand: '',
      closed_at: null,
    });
    expect(keyOf(event)).toBe('brand-a:p-1');
  });

  it('Given a deposit and a self-exclusion, When built, Then both match their topic schemas', () => {
    const deposit = depositCaptured({
      tenantId: 'brand-a',
      playerId: 'p-1',
      depositId: 'd-1',
      minorUnits: 2_000,
      currency: 'GBP',
      capturedAt: at,
    });
    expect([deposit.topic, schemaProblems(deposit)]).toEqual(['payments.deposits.v1', []]);
    const excluded = selfExcluded('brand-a', 'p-1', null);
    expect([excluded.topic, schemaProblems(excluded)]).toEqual(['rg.v1', []]);
  });
});
