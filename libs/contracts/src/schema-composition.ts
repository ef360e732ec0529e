import { Type, type Schema } from 'avsc';

import { payloadFileName, payloadRecordName, type TopicDefinition } from './topics';

/** The `.avsc` texts a topic's value schema is built from, as parsed JSON. */
export interface ContractSources {
  readonly envelope: Schema;
  /** Named types that payloads reference by full name (e.g. `pitboss.Money`). */
  readonly sharedTypes: readonly Schema[];
  /** Payload schemas of this topic, by file name (`bet-settled.avsc`). */
  readonly payloads: Readonly<Record<string, Schema>>;
}

export class ContractError extends Error {}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Builds the self-contained value schema registered for a topic: the envelope's fields followed by `payload`,
 * a union of one record per event type in catalogue order. A shared named type is written out in full at its
 * first use and referred to by name after, so the registry needs no schema references. The JSON is assembled
 * by hand rather than exported by avsc, which would drop attributes such as `logicalType` that BI relies on.
 */
export function composeTopicSchema(topic: TopicDefinition, sources: ContractSources): Schema {
  const envelope = sources.envelope as { type?: string; fields?: Json[] };
  if (envelope.type !== 'record' || !Array.isArray(envelope.fields)) {
    throw new ContractError('envelope.avsc must be a record with fields');
  }
  const payloads = topic.eventTypes.map((eventType) => payloadOf(topic, eventType, sources));
  const value: Json = {
    type: 'record',
    name: `${topic.namespace}.Event`,
    doc: `Value of every message on ${topic.name}: the Pitboss envelope, then the payload of its event_type.`,
    fields: [...envelope.fields, { name: 'payload', type: payloads }],
  };
  const composed = expandSharedTypes(value, sharedTypesByName(sources), new Set()) as Schema;
  Type.forSchema(composed); // throws on anything that is not valid Avro
  return composed;
}

function payloadOf(topic: TopicDefinition, eventType: string, sources: ContractSources): Json {
  const fileName = payloadFileName(eventType);
  // eslint-disable-next-line security/detect-object-injection -- the repository's own contract files, by file name
  const schema = sources.payloads[fileName] as { name?: string; namespace?: string } | undefined;
  if (!schema) throw new ContractError(`${topic.name}: no payload schema ${fileName} for ${eventType}`);
  const expected = `${topic.namespace}.${payloadRecordName(eventType)}`;
  const actual = schema.namespace ? `${schema.namespace}.${schema.name}` : schema.name;
  if (actual !== expected)
    throw new ContractError(`${topic.name}: ${fileName} defines ${actual}, expected ${expected}`);
  return schema as Json;
}

function sharedTypesByName(sources: ContractSources): Map<string, Json> {
  const byName = new Map<string, Json>();
  for (const shared of sources.sharedTypes) {
    const { name, namespace } = shared as { name: string; namespace?: string };
    byName.set(namespace ? `${namespace}.${name}` : name, shared as Json);
  }
  return byName;
}

function expandSharedTypes(node: Json, shared: Map<string, Json>, defined: Set<string>): Json {
  if (typeof node === 'string') {
    const definition = shared.get(node);
    if (!definition || defined.has(node)) return node;
    defined.add(node);
    return expandSharedTypes(definition, shared, defined);
  }
  if (Array.isArray(node)) return node.map((item) => expandSharedTypes(item, shared, defined));
  if (node === null || typeof node !== 'object') return node;
  const copy: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) {
    // Only positions that hold a type can refer to a named type; names, docs and defaults are left as they are.
    // eslint-disable-next-line security/detect-object-injection -- copying the repository's own schema files key by key
    copy[key] =
      key === 'type' || key === 'items' || key === 'values' || key === 'fields'
        ? expandSharedTypes(value, shared, defined)
        : value;
  }
  return copy;
}

/**
 * BACKWARD compatibility as the registry enforces it: a consumer on `next` can read everything written with
 * `previous`. Returns why not, or undefined when compatible.
 */
export function backwardIncompatibility(previous: Schema, next: Schema): string | undefined {
  try {
    Type.forSchema(next).createResolver(Type.forSchema(previous));
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
