import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { AvroSchemaParser } from '@asyncapi/avro-schema-parser';
import { DiagnosticSeverity, Parser, type AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { Type, type Schema } from 'avsc';
import { parse } from 'yaml';

import { TOPIC_VALUE_SCHEMAS } from '@pitboss/contracts';

import { AVRO_SCHEMA_FORMAT, channelId, messageId } from './asyncapi-document';
import { dlqTopicOf, payloadRecordName, TOPIC_PARTIES, TOPICS } from './contract-modules';
import { ASYNCAPI_DOCUMENT, renderAsyncApiDocument } from './render';

// The committed document, as BI and code generators read it: parsed and validated by @asyncapi/parser with the
// Avro schema parser, and its Avro payloads checked against the schemas the registry holds.
const repoRoot = join(__dirname, '..', '..');
const text = readFileSync(join(repoRoot, ASYNCAPI_DOCUMENT), 'utf8');
const raw = parse(text) as {
  components: { schemas: Record<string, { schemaFormat: string; schema: Schema }> };
  channels: Record<string, { messages: Record<string, RawMessage> }>;
};
interface RawMessage {
  payload: { $ref: string };
  headers: { properties: { event_type: { const?: string } } };
  examples?: { headers: Record<string, string>; payload: unknown }[];
}

const topics = (Object.keys(TOPICS) as (keyof typeof TOPICS)[]).map((key) => ({
   
  topic: TOPICS[key],
   
  parties: TOPIC_PARTIES[key],
}));

let document: AsyncAPIDocumentInterface;
let diagnostics: Awaited<ReturnType<Parser['parse']>>['diagnostics'];

beforeAll(async () => {
  const parser = new Parser();
  parser.registerSchemaParser(AvroSchemaParser());
  const result = await parser.parse(text);
  diagnostics = result.diagnostics;
  if (!result.document) throw new Error(`not parsed: ${JSON.stringify(diagnostics.slice(0, 5))}`);
  document = result.document;
});

function payloadSchemaOf(message: RawMessage): { schemaFormat: string; schema: Schema } {
  const id = message.payload.$ref.replace('#/components/schemas/', '');
   
  const schema = raw.components.schemas[id];
  if (!schema) throw new Error(`payload ${message.payload.$ref} is not in components.schemas`);
  return schema;
}

describe('the committed AsyncAPI document', () => {
  it('is what npm run asyncapi:generate writes from the contracts', () => {
    expect(text).toBe(renderAsyncApiDocument(repoRoot));
  });

  it('parses with no error or warning diagnostics', () => {
    const problems = diagnostics.filter(
      (diagnostic) =>
        diagnostic.severity === DiagnosticSeverity.Error ||
        diagnostic.severity === DiagnosticSeverity.Warning,
    );
    expect(problems.map((p) => `${p.code}: ${p.message} at ${p.path.join('.')}`)).toEqual([]);
    expect(document.version()).toBe('3.0.0');
  });

  it('has exactly one channel per catalogue topic and per .dlq twin, at the topic address', () => {
    const expected = topics.flatMap(({ topic }) => [topic.name, dlqTopicOf(topic.name)]).sort();
    expect(
      document
        .channels()
        .all()
        .map((channel) => channel.address())
        .sort(),
    ).toEqual(expected);
    for (const { topic } of topics) {
      expect(document.channels().get(channelId(topic.name))?.address()).toBe(topic.name);
    }
  });

  it.each(topics.map(({ topic }) => [topic.name, topic] as const))(
    '%s: one message per event type, its payload the registered value schema with that event as a branch',
    (_name, topic) => {
      const channel = document.channels().get(channelId(topic.name));
      expect(
        channel
          ?.messages()
          .all()
          .map((message) => message.name())
          .sort(),
      ).toEqual([...topic.eventTypes].sort());
      const registered = Type.forSchema(TOPIC_VALUE_SCHEMAS[topic.name] as Schema);
      for (const eventType of topic.eventTypes) {
        const parsed = channel?.messages().get(messageId(eventType));
        expect(parsed?.payload()?.schemaFormat()).toBe(AVRO_SCHEMA_FORMAT);
        expect(parsed?.bindings().get('kafka')?.value()).toMatchObject({
          schemaIdPayloadEncoding: 'confluent',
        });
        const message = raw.channels[channelId(topic.name)]!.messages[messageId(eventType)]!;
        expect(message.headers.properties.event_type.const).toBe(eventType);
        const payload = payloadSchemaOf(message);
        expect(payload.schemaFormat).toBe(AVRO_SCHEMA_FORMAT);
        // Wrapped unions, so a value says which branch it holds (a one-branch union too).
        const type = Type.forSchema(payload.schema, { wrapUnions: true });
        // The same schema as the registry's: equal parsing canonical forms (the registry compares those).
        expect(type.fingerprint('sha256').toString('hex')).toBe(
          registered.fingerprint('sha256').toString('hex'),
        );
        // Its example decodes from Avro JSON into a valid value whose payload is the event's branch.
        const example = message.examples?.[0];
        expect(example?.headers['event_type']).toBe(eventType);
        const value = type.fromString(JSON.stringify(example?.payload)) as Record<string, unknown>;
        expect(type.isValid(value)).toBe(true);
        expect(value['event_type']).toBe(eventType);
        expect(Object.keys(value['payload'] as object)).toEqual([
          `${topic.namespace}.${payloadRecordName(eventType)}`,
        ]);
      }
    },
  );

  it.each(topics.map(({ topic, parties }) => [topic.name, topic, parties] as const))(
    '%s: a send operation per producer, a receive per consumer group, and dead-lettering by each consumer',
    (_name, topic, parties) => {
      const operations = document.operations().all();
      const onChannel = (address: string, action: 'send' | 'receive') =>
        operations
          .filter((operation) => operation.action() === action)
          .filter((operation) =>
            operation
              .channels()
              .all()
              .some((channel) => channel.address() === address),
          );
      const services = (list: typeof operations) =>
        list.map((operation) => operation.extensions().get('x-pitboss-service')?.value() as string).sort();

      expect(services(onChannel(topic.name, 'send'))).toEqual([...parties.producers].sort());
      const receivers = onChannel(topic.name, 'receive');
      expect(services(receivers)).toEqual(parties.consumers.map((consumer) => consumer.service).sort());
      for (const consumer of parties.consumers) {
        const receive = receivers.find(
          (operation) => operation.extensions().get('x-pitboss-service')?.value() === consumer.service,
        );
        expect(receive?.bindings().get('kafka')?.value()).toMatchObject({
          groupId: { enum: [consumer.group] },
        });
        expect(
          receive
            ?.messages()
            .all()
            .map((message) => message.name())
            .sort(),
        ).toEqual([...topic.eventTypes].sort());
      }
      expect(services(onChannel(dlqTopicOf(topic.name), 'send'))).toEqual(
        parties.consumers.map((consumer) => consumer.service).sort(),
      );
      expect(onChannel(dlqTopicOf(topic.name), 'receive')).toEqual([]);
    },
  );
});
