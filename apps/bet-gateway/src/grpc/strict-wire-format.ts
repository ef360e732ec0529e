import { Reader, type Type, types } from 'protobufjs';

const LENGTH_DELIMITED = 2;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Checks that `bytes` are a well-formed encoding of `type`, or throws saying where they are not. protobufjs's
 * decoder is lenient: a string whose length runs past the end is cut short (`0a 05 41` decodes as bet_id "A"),
 * and a known field sent with another wire type is read anyway, so a corrupt request could act on a value nobody
 * sent. Unknown fields are allowed (proto3 forward compatibility) as long as they are well formed.
 */
export function assertWellFormed(type: Type, bytes: Uint8Array): void {
  checkMessage(type, Reader.create(bytes), bytes.length);
}

function checkMessage(type: Type, reader: Reader, end: number): void {
  while (reader.pos < end) {
    const tag = reader.uint32();
    const fieldNumber = tag >>> 3;
    const wireType = tag & 7;
    if (fieldNumber === 0) throw new Error(`${type.name}: field number 0 at byte ${reader.pos}`);
    // eslint-disable-next-line security/detect-object-injection -- a numeric field number indexes a protobufjs table (undefined when unknown, which is checked)
    const field = type.fieldsById[fieldNumber];
    if (field !== undefined && !acceptedWireTypes(field).includes(wireType)) {
      throw new Error(
        `${type.name}.${field.name}: wire type ${wireType} where ${acceptedWireTypes(field)[0]} is expected`,
      );
    }
    if (wireType !== LENGTH_DELIMITED) {
      reader.skipType(wireType);
    } else {
      const length = reader.uint32();
      const valueEnd = reader.pos + length;
      if (valueEnd > end)
        throw new Error(`${type.name}: a length of ${length} runs past the end of the message`);
      const nested = field?.resolvedType;
      if (nested !== undefined && nested !== null && 'fieldsById' in nested)
        checkMessage(nested, reader, valueEnd);
      else if (field?.type === 'string') utf8.decode(reader.buf.subarray(reader.pos, valueEnd));
      reader.pos = valueEnd;
    }
    if (reader.pos > end) throw new Error(`${type.name}: a field runs past the end of the message`);
  }
}

function acceptedWireTypes(field: Type['fieldsArray'][number]): number[] {
  const scalar = (types.basic as Record<string, number | undefined>)[field.type];
  // Messages are length-delimited, enums varints; repeated scalars may come packed or one by one.
  const wireType = scalar ?? (field.resolvedType !== null && 'fieldsById' in field.resolvedType ? 2 : 0);
  return field.repeated && wireType !== LENGTH_DELIMITED ? [wireType, LENGTH_DELIMITED] : [wireType];
}
