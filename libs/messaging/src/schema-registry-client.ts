import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';

import { AVRO_TYPE_OPTIONS } from '@pitboss/contracts';

/** Avro types built with the project's long (every safe integer, see `avroTypeOf`), for encode and decode. */
export function createSchemaRegistry(baseUrl: string): SchemaRegistry {
  return new SchemaRegistry(
    { host: baseUrl, clientId: 'pitboss', retry: { retries: 3 } },
    { [SchemaType.AVRO]: AVRO_TYPE_OPTIONS },
  );
}
