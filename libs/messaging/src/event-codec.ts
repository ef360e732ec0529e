import { type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { type Type } from 'avsc';

import { fromAvroValue, toAvroValue, type EventEnvelope } from '@pitboss/contracts';

import { type TopicNaming } from './topic-naming';

/**
 * Envelopes to and from Confluent-framed Avro (magic byte, schema id, body). The schema id of each topic is
 * looked up once and cached; the library caches schemas by id, so the hot path makes no registry call.
 */
export class EventCodec {
  private readonly schemaIds = new Map<string, Promise<number>>();

  constructor(
    private readonly registry: SchemaRegistry,
    private readonly naming: TopicNaming,
  ) {}

  async encode(logicalTopic: string, envelope: EventEnvelope): Promise<Buffer> {
    const schemaId = await this.schemaIdOf(logicalTopic);
    const valueType = (await this.registry.getSchema(schemaId)) as unknown as Type;
    return this.registry.encode(schemaId, toAvroValue(envelope, valueType));
  }

  async decode(message: Buffer): Promise<EventEnvelope> {
    return fromAvroValue((await this.registry.decode(message)) as Record<string, unknown>);
  }

  private schemaIdOf(logicalTopic: string): Promise<number> {
    let id = this.schemaIds.get(logicalTopic);
    if (!id) {
      id = this.registry.getLatestSchemaId(this.naming.valueSubject(logicalTopic));
      // A failed lookup (registry down) must not be cached, or the topic could never be encoded again.
      id.catch(() => this.schemaIds.delete(logicalTopic));
      this.schemaIds.set(logicalTopic, id);
    }
    return id;
  }
}
