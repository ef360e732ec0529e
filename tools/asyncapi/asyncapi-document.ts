import { dlqTopicOf, payloadRecordName, type TopicDefinition, type TopicParties } from './contract-modules';
import { avroJsonExample } from './avro-example';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One catalogue topic with what the generator needs of it: its parties and its composed value schema. */
export interface AsyncApiTopic {
  readonly topic: TopicDefinition;
  readonly parties: TopicParties;
  /** The value schema registered as `<topic>-value` (composeTopicSchema). */
  readonly valueSchema: Json;
}

export const AVRO_SCHEMA_FORMAT = 'application/vnd.apache.avro+json;version=1.9.0';
const KAFKA_BINDING = '0.5.0';

const WIRE_FORMAT = [
  'Every message value is Confluent-framed Avro: magic byte 0, a 4-byte big-endian schema id, then the Avro',
  'binary body. The id is what the Confluent-compatible API of Apicurio Registry 3.0 (`/apis/ccompat/v7`) returns',
  'for the topic subject `<topic>-value` (TopicNameStrategy, BACKWARD_TRANSITIVE): the registry content id, not',
  'its global id. Apicurio serdes 3.0.x read it through the native API (`/apis/registry/v3`) with their default',
  '4-byte id handler and `apicurio.registry.use-id=contentId` (docs/bi-guide.md, `npm run bi:check`). Every value',
  'is one record: the envelope fields, then `payload`, a union of the topic event records; `event_type` names the',
  'branch. The payload schemas below are the registered ones, the value record named by simple name and',
  'namespace. Deployments may prefix every topic, consumer group and subject with `KAFKA_TOPIC_PREFIX`.',
  'Generated from libs/contracts by `npm run asyncapi:generate`: do not edit by hand.',
].join(' ');

const KEY_SCHEMA: Json = {
  type: 'string',
  description:
    'UTF-8 `tenant_id:player_id` (messageKeyOf): one player events stay in order on one partition (murmur2, as Java partitions).',
  pattern: '^[^:]+:.*$',
  examples: ['tenant-a:player-1'],
};

const EVENT_HEADERS = {
  event_id: { type: 'string', format: 'uuid', description: 'The envelope event_id, for deduplication.' },
  traceparent: {
    type: 'string',
    description:
      'W3C trace context of the producer span (outbox-relay publish, a child of the request that wrote the event); absent on replays of events without one.',
    pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
  },
} satisfies Record<string, Json>;

/** Headers the consumers' dead-lettering adds to the original message's headers (libs/messaging EventConsumer). */
const DEAD_LETTER_HEADERS: Record<string, Json> = {
  'dlq-error': { type: 'string', description: 'The last error, at most 2000 characters.' },
  'dlq-error-type': { type: 'string', description: 'The error class name, e.g. NonRetryableError.' },
  'dlq-original-topic': { type: 'string', description: 'The physical topic the message was read from.' },
  'dlq-original-partition': { type: 'string', description: 'Its partition, as a decimal string.' },
  'dlq-original-offset': { type: 'string', description: 'Its offset, as a decimal string.' },
  'dlq-consumer-group': { type: 'string', description: 'The physical consumer group that gave up.' },
  'dlq-attempts': { type: 'string', description: 'How many times the handler ran, as a decimal string.' },
  'dlq-failed-at': {
    type: 'string',
    format: 'date-time',
    description: 'When it was parked (ISO 8601, UTC).',
  },
};

/** The AsyncAPI 3.0.0 document of every topic in the catalogue and its `.dlq` twin, as a plain object. */
export function buildAsyncApiDocument(version: string, topics: readonly AsyncApiTopic[]): Json {
  const channels: Record<string, Json> = {};
  const operations: Record<string, Json> = {};
  const schemas: Record<string, Json> = {};
  for (const entry of topics) {
    const { topic } = entry;
    schemas[valueSchemaId(topic)] = {
      schemaFormat: AVRO_SCHEMA_FORMAT,
      schema: withSplitName(entry.valueSchema),
    };
    channels[channelId(topic.name)] = topicChannel(entry);
    channels[channelId(dlqTopicOf(topic.name))] = deadLetterChannel(topic);
    Object.assign(operations, topicOperations(entry));
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Pitboss events',
      version,
      description: WIRE_FORMAT,
    },
    defaultContentType: 'application/octet-stream',
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description:
          'The local stack (`npm run stack:up`): one KRaft broker, Apicurio Registry on port 8081.',
        bindings: {
          kafka: {
            schemaRegistryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
            schemaRegistryVendor: 'apicurio',
            bindingVersion: KAFKA_BINDING,
          },
        },
      },
      production: {
        host: 'b-1.pitboss-production-{region}.kafka.{awsRegion}.amazonaws.com:9092',
        protocol: 'kafka',
        description:
          'One MSK cluster per region; the full broker list and registry URL are in charts/environments/production/<region>.yaml.',
        variables: {
          region: { enum: ['eu', 'uk', 'br'], default: 'eu' },
          awsRegion: { enum: ['eu-west-1', 'eu-west-2', 'sa-east-1'], default: 'eu-west-1' },
        },
        bindings: {
          kafka: {
            schemaRegistryUrl: 'https://schema-registry.<region>.production.pitboss.internal/apis/ccompat/v7',
            schemaRegistryVendor: 'apicurio',
            bindingVersion: KAFKA_BINDING,
          },
        },
      },
    },
    channels,
    operations,
    components: { schemas },
  };
}

/** `rgs.rounds.v1` → `rgs-rounds-v1`: channel and component ids allow no dots in every tool. */
export function channelId(topicName: string): string {
  return topicName.replace(/\./g, '-');
}

/** `bet.rolled_back` → `bet-rolled_back`: a message id inside its channel. */
export function messageId(eventType: string): string {
  return eventType.replace(/\./g, '-');
}

function valueSchemaId(topic: TopicDefinition): string {
  return `${channelId(topic.name)}-value`;
}

function topicChannel({ topic, parties, valueSchema }: AsyncApiTopic): Json {
  const messages: Record<string, Json> = {};
  for (const eventType of topic.eventTypes)
    messages[messageId(eventType)] = eventMessage(topic, eventType, valueSchema);
  const producedBy =
    parties.producers.length > 0
      ? `written by ${parties.producers.join(', ')} (its outbox, published by outbox-relay)`
      : `no producer yet (${parties.plannedProducer ?? 'not built'}); only tests publish to it`;
  const readBy =
    parties.consumers.length > 0
      ? `read by ${parties.consumers.map((c) => `${c.service} (group ${c.group})`).join(', ')}`
      : 'read by no Pitboss service';
  return {
    address: topic.name,
    title: topic.name,
    description: `Events ${topic.eventTypes.join(', ')}; ${producedBy}; ${readBy}. Key \`tenant_id:player_id\`; value schema subject \`${topic.name}-value\`.`,
    messages,
    bindings: {
      kafka: {
        topic: topic.name,
        topicConfiguration: topicConfiguration(topic.config ?? {}),
        bindingVersion: KAFKA_BINDING,
      },
    },
  };
}

function eventMessage(topic: TopicDefinition, eventType: string, valueSchema: Json): Json {
  const branch = `${topic.namespace}.${payloadRecordName(eventType)}`;
  const example = avroJsonExample(valueSchema, eventType, branch) as { [key: string]: Json };
  return {
    name: eventType,
    title: eventType,
    summary: recordDoc(valueSchema, branch) ?? eventType,
    description: `Payload branch \`${branch}\` of the value union; the envelope's \`event_type\` is \`${eventType}\`.`,
    contentType: 'application/octet-stream',
    headers: {
      type: 'object',
      required: ['event_id', 'event_type'],
      properties: {
        event_id: EVENT_HEADERS.event_id,
        event_type: {
          type: 'string',
          const: eventType,
          description: 'The envelope event_type: the payload branch.',
        },
        traceparent: EVENT_HEADERS.traceparent,
      },
    },
    payload: { $ref: `#/components/schemas/${valueSchemaId(topic)}` },
    bindings: { kafka: messageBinding() },
    examples: [
      {
        name: messageId(eventType),
        summary: 'The value in Avro JSON encoding (as a console consumer prints it).',
        headers: {
          event_id: example['event_id'] as string,
          event_type: eventType,
          traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        },
        payload: example,
      },
    ],
  };
}

function deadLetterChannel(topic: TopicDefinition): Json {
  const address = dlqTopicOf(topic.name);
  return {
    address,
    title: address,
    description: `Messages of ${topic.name} a consumer gave up on (undecodable, or failed after its retries): the original key, value and headers, plus the dlq-* headers. Kept forever; nobody consumes it automatically.`,
    messages: {
      'dead-letter': {
        name: 'dead-letter',
        title: `${topic.name} dead letter`,
        summary: `A message of ${topic.name}, byte for byte, with why it failed.`,
        description: `The value is the original bytes: usually a value of \`${topic.name}-value\`, but an undecodable message is parked as it came.`,
        contentType: 'application/octet-stream',
        headers: {
          type: 'object',
          required: ['dlq-error', 'dlq-original-topic', 'dlq-consumer-group'],
          properties: {
            ...EVENT_HEADERS,
            event_type: { type: 'string', enum: [...topic.eventTypes] },
            ...DEAD_LETTER_HEADERS,
          },
        },
        payload: { $ref: `#/components/schemas/${valueSchemaId(topic)}` },
        bindings: { kafka: messageBinding() },
      },
    },
    bindings: {
      kafka: {
        topic: address,
        topicConfiguration: topicConfiguration({
          'cleanup.policy': 'delete',
          'retention.ms': '-1',
          'retention.bytes': '-1',
        }),
        bindingVersion: KAFKA_BINDING,
      },
    },
  };
}

function messageBinding(): Json {
  return {
    key: KEY_SCHEMA,
    schemaIdLocation: 'payload',
    schemaIdPayloadEncoding: 'confluent',
    schemaLookupStrategy: 'TopicNameStrategy',
    bindingVersion: KAFKA_BINDING,
  };
}

/** One `send` operation per producer and one `receive` per consumer; consumers also send to the `.dlq`. */
function topicOperations({ topic, parties }: AsyncApiTopic): Record<string, Json> {
  const operations: Record<string, Json> = {};
  const id = channelId(topic.name);
  const dlqId = channelId(dlqTopicOf(topic.name));
  const eventMessages = topic.eventTypes.map((eventType) => ({
    $ref: `#/channels/${id}/messages/${messageId(eventType)}`,
  }));
  for (const producer of parties.producers) {
    operations[`${producer}-sends-${id}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${id}` },
      title: `${producer} publishes ${topic.name}`,
      summary: `Written to ${producer}'s outbox in the transaction of the event; outbox-relay publishes it (idempotent producer, acks=all).`,
      messages: eventMessages,
      'x-pitboss-service': producer,
    };
  }
  for (const consumer of parties.consumers) {
    operations[`${consumer.service}-receives-${id}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${id}` },
      title: `${consumer.service} consumes ${topic.name}`,
      summary: `Consumer group \`${consumer.group}\`.`,
      messages: eventMessages,
      bindings: {
        kafka: { groupId: { type: 'string', enum: [consumer.group] }, bindingVersion: KAFKA_BINDING },
      },
      'x-pitboss-service': consumer.service,
    };
    operations[`${consumer.service}-dead-letters-${id}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${dlqId}` },
      title: `${consumer.service} parks failed ${topic.name} messages`,
      messages: [{ $ref: `#/channels/${dlqId}/messages/dead-letter` }],
      'x-pitboss-service': consumer.service,
    };
  }
  return operations;
}

/** The topic's broker settings in the Kafka binding's types (numbers as integers, cleanup.policy as a list). */
function topicConfiguration(config: Readonly<Record<string, string>>): Json {
  const out: Record<string, Json> = {};
  for (const [name, value] of Object.entries(config).sort(([a], [b]) => a.localeCompare(b))) {
    out[name] = name === 'cleanup.policy' ? value.split(',') : /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return out;
}

/**
 * The registered value schema names its record by full name (`pitboss.rgs.rounds.v1.Event`); AsyncAPI's Avro
 * meta-schema wants a simple name and a namespace. Both spell the same full name, so the same Avro schema (its
 * parsing canonical form, which the registry compares, is the same).
 */
function withSplitName(valueSchema: Json): Json {
  const record = valueSchema as { [key: string]: Json };
  const name = record['name'] as string;
  const dot = name.lastIndexOf('.');
  if (dot < 0) return valueSchema;
  const { name: _full, ...rest } = record;
  return {
    type: rest['type'] ?? 'record',
    name: name.slice(dot + 1),
    namespace: name.slice(0, dot),
    ...rest,
  };
}

function recordDoc(valueSchema: Json, branch: string): string | undefined {
  const fields = (valueSchema as { fields: { name: string; type: Json }[] }).fields;
  const union = fields.find((field) => field.name === 'payload')?.type as {
    name: string;
    namespace?: string;
    doc?: string;
  }[];
  const record = union.find((item) => `${item.namespace}.${item.name}` === branch);
  return record?.doc;
}
