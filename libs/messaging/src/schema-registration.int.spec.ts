import { COMPATIBILITY, SchemaType } from '@kafkajs/confluent-schema-registry';

import { TOPIC_VALUE_SCHEMAS } from '@pitboss/contracts';
import { infrastructureConfig } from '@pitboss/platform-config';
import { deleteTestSubjects, uniqueTestPrefix } from '@pitboss/testing';

import { registerTopicSchemas, TOPIC_COMPATIBILITY } from './schema-registration';
import { createSchemaRegistry } from './schema-registry-client';
import { TopicNaming } from './topic-naming';

type Json = { [key: string]: unknown };

/** The settlements value schema with `edit` applied to its BetSettled payload record. */
function editedSettlementsSchema(edit: (betSettled: { fields: Json[] }) => void): string {
  const schema = structuredClone(TOPIC_VALUE_SCHEMAS['rgs.settlements.v1']) as unknown as { fields: Json[] };
  const payload = schema.fields.find((field) => field['name'] === 'payload') as { type: Json[] };
  edit(payload.type.find((record) => record['name'] === 'BetSettled') as unknown as { fields: Json[] });
  return JSON.stringify(schema);
}

describe(registerTopicSchemas.name, () => {
  const registry = createSchemaRegistry(infrastructureConfig().schemaRegistryUrl);
  const naming = new TopicNaming(uniqueTestPrefix('registry'));
  const subject = naming.valueSubject('rgs.settlements.v1');

  beforeAll(() => registerTopicSchemas(registry, naming));
  afterAll(() => deleteTestSubjects(naming));

  it('registers every topic under BACKWARD_TRANSITIVE compatibility, idempotently', async () => {
    const first = await registerTopicSchemas(registry, naming);
    const again = await registerTopicSchemas(registry, naming);

    expect(again).toEqual(first);
    const config = await fetch(
      `${infrastructureConfig().schemaRegistryUrl}/config/${encodeURIComponent(subject)}`,
    );
    expect(await config.json()).toMatchObject({ compatibilityLevel: 'BACKWARD_TRANSITIVE' });
  });

  it('lets the registry refuse a breaking change and accept a compatible one', async () => {
    const breaking = editedSettlementsSchema((record) =>
      record.fields.push({ name: 'note', type: 'string' }),
    );
    const compatible = editedSettlementsSchema((record) =>
      record.fields.push({ name: 'note', type: ['null', 'string'], default: null }),
    );

    await expect(
      registry.register(
        { type: SchemaType.AVRO, schema: breaking },
        { subject, compatibility: TOPIC_COMPATIBILITY },
      ),
    ).rejects.toThrow(/compatib/i);
    await expect(
      registry.register(
        { type: SchemaType.AVRO, schema: compatible },
        { subject, compatibility: TOPIC_COMPATIBILITY },
      ),
    ).resolves.toHaveProperty('id');
  });

  it('moves a subject registered under plain BACKWARD to BACKWARD_TRANSITIVE', async () => {
    const older = new TopicNaming(uniqueTestPrefix('registry'));
    const olderSubject = older.valueSubject('rgs.settlements.v1');
    try {
      await registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(TOPIC_VALUE_SCHEMAS['rgs.settlements.v1']) },
        { subject: olderSubject, compatibility: COMPATIBILITY.BACKWARD },
      );

      await registerTopicSchemas(registry, older);

      const config = await fetch(
        `${infrastructureConfig().schemaRegistryUrl}/config/${encodeURIComponent(olderSubject)}`,
      );
      expect(await config.json()).toMatchObject({ compatibilityLevel: 'BACKWARD_TRANSITIVE' });
    } finally {
      await deleteTestSubjects(older);
    }
  });
});
