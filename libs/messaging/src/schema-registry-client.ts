import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';

export function createSchemaRegistry(baseUrl: string): SchemaRegistry {
  return new SchemaRegistry({ host: baseUrl, clientId: 'pitboss', retry: { retries: 3 } });
}
