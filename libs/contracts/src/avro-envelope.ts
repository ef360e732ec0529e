import { type Type, type types } from 'avsc';

import { type EventEnvelope } from './envelope';
import { payloadRecordName, topicOfEventType } from './topics';

/**
 * avsc represents a union of several records "wrapped" (`{ "pitboss.rgs.settlements.v1.BetSettled": {...} }`)
 * and nullable fields unwrapped. These two functions move between that shape and the envelope, where the
 * payload is plain and event_type already names the branch.
 */
export function toAvroValue(envelope: EventEnvelope, valueType: Type): Record<string, unknown> {
  if (!payloadUnionIsWrapped(valueType)) return { ...envelope };
  return { ...envelope, payload: { [payloadBranchName(envelope.event_type)]: envelope.payload } };
}

export function fromAvroValue(value: Record<string, unknown>): EventEnvelope {
  const envelope = value as unknown as EventEnvelope;
  const branch = payloadBranchName(envelope.event_type);
  const payload = envelope.payload as Record<string, unknown>;
  // Avro field names cannot contain dots, so a sole key equal to the branch's full name is always the wrapper.
  const keys = Object.keys(payload);
  const unwrapped =
    // eslint-disable-next-line security/detect-object-injection -- branch was just checked to be the sole own key
    keys.length === 1 && keys[0] === branch ? (payload[branch] as Record<string, unknown>) : payload;
  return { ...envelope, payload: { ...unwrapped } };
}

/** Per type, since the relay asks once per event and a type's shape never changes. */
const wrappedPayloadUnion = new WeakMap<Type, boolean>();

function payloadUnionIsWrapped(valueType: Type): boolean {
  let wrapped = wrappedPayloadUnion.get(valueType);
  if (wrapped === undefined) {
    const payloadField = (valueType as types.RecordType).fields?.find((field) => field.name === 'payload');
    wrapped = payloadField?.type.typeName === 'union:wrapped';
    wrappedPayloadUnion.set(valueType, wrapped);
  }
  return wrapped;
}

function payloadBranchName(eventType: string): string {
  const topic = topicOfEventType(eventType);
  return `${topic?.namespace ?? 'pitboss'}.${payloadRecordName(eventType)}`;
}
