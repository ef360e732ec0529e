import { type Schema } from 'avsc';

import {
  backwardIncompatibility,
  composeTopicSchema,
  ContractError,
  type ContractSources,
} from './schema-composition';
import { type TopicDefinition } from './topics';

const money = {
  type: 'record',
  name: 'Money',
  namespace: 'pitboss',
  fields: [
    { name: 'minor_units', type: 'long' },
    { name: 'currency', type: 'string' },
  ],
};
const envelope = {
  type: 'record',
  name: 'Envelope',
  namespace: 'pitboss',
  fields: [
    { name: 'event_id', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'event_type', type: 'string' },
  ],
};
const topic: TopicDefinition = {
  name: 'test.things.v1',
  namespace: 'pitboss.test.things.v1',
  eventTypes: ['thing.paid', 'thing.refunded'],
};
const payload = (name: string) => ({
  type: 'record',
  name,
  namespace: topic.namespace,
  fields: [{ name: 'amount', type: 'pitboss.Money' }],
});

function sources(overrides: Partial<ContractSources> = {}): ContractSources {
  return {
    envelope: envelope as Schema,
    sharedTypes: [money as Schema],
    payloads: {
      'thing-paid.avsc': payload('ThingPaid') as Schema,
      'thing-refunded.avsc': payload('ThingRefunded') as Schema,
    },
    ...overrides,
  };
}

describe(composeTopicSchema.name, () => {
  it('puts the envelope fields first, then a payload union in catalogue order', () => {
    const sut = composeTopicSchema(topic, sources()) as unknown as {
      name: string;
      fields: { name: string; type: unknown }[];
    };

    expect(sut.name).toBe('pitboss.test.things.v1.Event');
    expect(sut.fields.map((field) => field.name)).toEqual(['event_id', 'event_type', 'payload']);
    expect((sut.fields[2]?.type as { name: string }[]).map((branch) => branch.name)).toEqual([
      'ThingPaid',
      'ThingRefunded',
    ]);
  });

  it('writes a shared type out at its first use and by name after, keeping logical types', () => {
    const text = JSON.stringify(composeTopicSchema(topic, sources()));

    expect(text.match(/"minor_units"/g)).toHaveLength(1);
    expect(text).toContain('"logicalType":"uuid"');
    expect(text).toContain('"type":"pitboss.Money"');
  });

  it('refuses a catalogue event without a payload file', () => {
    expect(() =>
      composeTopicSchema(topic, sources({ payloads: { 'thing-paid.avsc': payload('ThingPaid') as Schema } })),
    ).toThrow(ContractError);
  });

  it('refuses a payload file whose record name does not follow its event type', () => {
    const payloads = {
      'thing-paid.avsc': payload('Paid') as Schema,
      'thing-refunded.avsc': payload('ThingRefunded') as Schema,
    };

    expect(() => composeTopicSchema(topic, sources({ payloads }))).toThrow(
      /defines pitboss.test.things.v1.Paid/,
    );
  });
});

describe(backwardIncompatibility.name, () => {
  const record = (fields: unknown[]) => ({ type: 'record', name: 'R', fields }) as Schema;

  it('accepts an added field with a default and refuses one without', () => {
    const previous = record([{ name: 'a', type: 'string' }]);

    expect(
      backwardIncompatibility(
        previous,
        record([
          { name: 'a', type: 'string' },
          { name: 'b', type: 'int', default: 0 },
        ]),
      ),
    ).toBeUndefined();
    expect(
      backwardIncompatibility(
        previous,
        record([
          { name: 'a', type: 'string' },
          { name: 'b', type: 'int' },
        ]),
      ),
    ).toBeDefined();
  });
});
