import { type SchemaObject } from '@nestjs/swagger';
import { type z, ZodFirstPartyTypeKind } from 'zod';

/**
 * OpenAPI 3.0 schema of a zod schema, for the zod features the request schemas use (object, string, number,
 * int, boolean, optional, nullable, min, max, regex). The document is derived from the very schemas that
 * validate requests, so the two cannot drift; anything else throws, so a schema using a feature this does not
 * translate fails the unit test instead of being documented wrongly. (`zod-to-json-schema` is not a dependency.)
 */
export function jsonSchemaOf(schema: z.ZodTypeAny): SchemaObject {
  const def = schema._def as { typeName: ZodFirstPartyTypeKind; description?: string };
  const translated = translate(schema, def.typeName);
  return def.description === undefined ? translated : { ...translated, description: def.description };
}

function translate(schema: z.ZodTypeAny, typeName: ZodFirstPartyTypeKind): SchemaObject {
  switch (typeName) {
    case ZodFirstPartyTypeKind.ZodObject:
      return objectSchema(schema as z.AnyZodObject);
    case ZodFirstPartyTypeKind.ZodString:
      return stringSchema(schema as z.ZodString);
    case ZodFirstPartyTypeKind.ZodNumber:
      return numberSchema(schema as z.ZodNumber);
    case ZodFirstPartyTypeKind.ZodBoolean:
      return { type: 'boolean' };
    case ZodFirstPartyTypeKind.ZodNullable:
      return { ...jsonSchemaOf((schema as z.ZodNullable<z.ZodTypeAny>).unwrap()), nullable: true };
    case ZodFirstPartyTypeKind.ZodOptional:
      // Optionality belongs to the enclosing object (`required`); the value itself is the inner schema.
      return jsonSchemaOf((schema as z.ZodOptional<z.ZodTypeAny>).unwrap());
    default:
      throw new Error(`jsonSchemaOf: zod type ${typeName} is not translated; extend openapi-zod-schema.ts`);
  }
}

function objectSchema(schema: z.AnyZodObject): SchemaObject {
  const shape = schema.shape as Record<string, z.ZodTypeAny>;
  const properties = Object.fromEntries(
    Object.entries(shape).map(([name, field]) => [name, jsonSchemaOf(field)]),
  );
  const required = Object.entries(shape)
    .filter(([, field]) => !field.isOptional())
    .map(([name]) => name);
  const unknownKeys = (schema._def as { unknownKeys: 'strict' | 'strip' | 'passthrough' }).unknownKeys;
  return {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    // `strip` accepts unknown keys (and drops them); only `strict` refuses them.
    additionalProperties: unknownKeys !== 'strict',
  };
}

type StringCheck = z.ZodStringDef['checks'][number];

function stringSchema(schema: z.ZodString): SchemaObject {
  const result: SchemaObject = { type: 'string' };
  const notes: string[] = [];
  for (const check of schema._def.checks as StringCheck[]) {
    switch (check.kind) {
      case 'min':
        result.minLength = Math.max(result.minLength ?? 0, check.value);
        break;
      case 'max':
        result.maxLength = Math.min(result.maxLength ?? Infinity, check.value);
        break;
      case 'regex':
        if (result.pattern !== undefined) throw new Error('jsonSchemaOf: one regex per string only');
        if (check.regex.flags !== '') throw new Error(`jsonSchemaOf: regex flags (${check.regex.flags})`);
        result.pattern = check.regex.source;
        if (check.message !== undefined) notes.push(check.message);
        break;
      default:
        throw new Error(`jsonSchemaOf: string check ${check.kind} is not translated`);
    }
  }
  return notes.length > 0 ? { ...result, description: notes.join('; ') } : result;
}

type NumberCheck = z.ZodNumberDef['checks'][number];

function numberSchema(schema: z.ZodNumber): SchemaObject {
  const result: SchemaObject = { type: 'number' };
  for (const check of schema._def.checks as NumberCheck[]) {
    switch (check.kind) {
      case 'int':
        result.type = 'integer';
        break;
      case 'min':
        // Several lower bounds (`.safe()` then `.positive()`): the tightest one is the rule.
        if (isTighter(check.value, check.inclusive, result.minimum, result.exclusiveMinimum, 1)) {
          result.minimum = check.value;
          result.exclusiveMinimum = !check.inclusive;
        }
        break;
      case 'max':
        if (isTighter(check.value, check.inclusive, result.maximum, result.exclusiveMaximum, -1)) {
          result.maximum = check.value;
          result.exclusiveMaximum = !check.inclusive;
        }
        break;
      default:
        throw new Error(`jsonSchemaOf: number check ${check.kind} is not translated`);
    }
  }
  // `exclusive…: false` is the default; leaving it out keeps the document readable.
  if (result.exclusiveMinimum === false) delete result.exclusiveMinimum;
  if (result.exclusiveMaximum === false) delete result.exclusiveMaximum;
  return result;
}

/** Whether a bound is tighter than the current one; `direction` 1 for lower bounds, -1 for upper bounds. */
function isTighter(
  value: number,
  inclusive: boolean,
  current: number | undefined,
  currentExclusive: boolean | undefined,
  direction: 1 | -1,
): boolean {
  if (current === undefined) return true;
  if (value !== current) return (value - current) * direction > 0;
  return !inclusive && currentExclusive !== true;
}
