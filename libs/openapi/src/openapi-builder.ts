import {
  extendZodWithOpenApi,
  OpenApiGeneratorV3,
  type OpenAPIRegistry,
  type ResponseConfig,
  type ZodOpenAPIMetadata,
} from '@asteasolutions/zod-to-openapi';
import { type OpenAPIObject, type SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

// `.openapi()` metadata (descriptions, examples, component names) on any zod schema, and the parameter names the
// generator sets on path and header schemas, need zod's prototype extended once per process.
extendZodWithOpenApi(z);

export { OpenAPIRegistry, type ResponseConfig, type RouteConfig } from '@asteasolutions/zod-to-openapi';

export interface DocumentInfo {
  readonly title: string;
  readonly version: string;
  readonly description: string;
  readonly tags?: ReadonlyArray<{ name: string; description: string }>;
}

/**
 * The OpenAPI 3.0 document of everything registered. Typed as @nestjs/swagger's `OpenAPIObject`, which is
 * what Swagger UI is served from (`mountApiDocs`); both describe OpenAPI 3.0, the generator's typings only
 * being a separate package.
 */
export function generateOpenApiDocument(registry: OpenAPIRegistry, info: DocumentInfo): OpenAPIObject {
  const { title, version, description, tags } = info;
  const document = new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: { title, version, description },
    servers: [{ url: '/', description: 'this service' }],
    ...(tags ? { tags: [...tags] } : {}),
  });
  return nullableFor30(document) as unknown as OpenAPIObject;
}

/**
 * The generator writes a nullable `$ref` as `allOf: [ref, {nullable: true}]` and `z.unknown()` as
 * `{nullable: true}` (plus any description), both `nullable` without `type`, which OpenAPI 3.0 validators
 * (Spectral's example check) refuse. Rewritten as `anyOf: [ref, null]` (3.0's null: `nullable` + `enum: [null]`
 * on a type) and the any-schema `{}` with its metadata kept. A nullable enum gets `null` among its values: 3.0
 * validators check `enum` before `nullable`, so its null default or example would otherwise be refused.
 */
const COMPOSITIONS = ['allOf', 'anyOf', 'oneOf', '$ref'] as const;

function nullableFor30<T>(node: T): T {
  if (Array.isArray(node)) return node.map(nullableFor30) as T;
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node).map(([key, value]) => [key, nullableFor30(value)] as const);
  const copy = Object.fromEntries(entries) as Record<string, unknown>;
  const allOf = copy['allOf'];
  if (Array.isArray(allOf) && allOf.length === 2 && isBareNullable(allOf[1])) {
    const { allOf: _allOf, ...rest } = copy;
    const { nullable: _nullable, ...metadata } = allOf[1] as Record<string, unknown>;
    return { ...rest, ...metadata, anyOf: [allOf[0], { type: 'object', nullable: true, enum: [null] }] } as T;
  }
  if (isBareNullable(copy) && !COMPOSITIONS.some((key) => key in copy)) {
    const { nullable: _nullable, ...metadata } = copy;
    return metadata as T;
  }
  const values = copy['enum'];
  if (copy['nullable'] === true && Array.isArray(values) && !values.includes(null))
    return { ...copy, enum: [...values, null] } as T;
  return copy as T;
}

function isBareNullable(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && 'nullable' in schema && !('type' in schema);
}

/** The OpenAPI 3.0 schema the generator writes for a zod schema (inline, as in a request body). */
export function jsonSchemaOf(schema: z.ZodTypeAny): SchemaObject {
  const name = 'Subject';
  const { components } = new OpenApiGeneratorV3([
    { type: 'schema', schema: schema.openapi(name) },
  ]).generateComponents();
  // eslint-disable-next-line security/detect-object-injection -- name is a constant
  return components?.schemas?.[name] as SchemaObject;
}

/**
 * `schema` with OpenAPI metadata on the field at `path` (`amount.currency`): for a rule the generator cannot read
 * off zod, such as a refinement. Validation is unchanged (the copies keep every check and the strictness); a path
 * that names no field throws, so a renamed field fails the document's unit test rather than going undocumented.
 */
export function documentField<T extends z.AnyZodObject>(
  schema: T,
  path: string,
  metadata: Partial<ZodOpenAPIMetadata>,
): T {
  const [name, ...rest] = path.split('.');
  const field = (schema.shape as z.ZodRawShape)[name ?? ''];
  if (field === undefined) throw new Error(`documentField: no field ${path}`);
  if (rest.length > 0 && !(field instanceof z.ZodObject))
    throw new Error(`documentField: ${name} is no object`);
  const documented =
    rest.length === 0
      ? field.openapi(metadata)
      : documentField(field as z.AnyZodObject, rest.join('.'), metadata);
  return schema.extend({ [name!]: documented }) as unknown as T;
}

/** A JSON response: its description, its zod schema (or a schema object) and one example. */
export function jsonResponse(
  description: string,
  schema: z.ZodTypeAny | SchemaObject,
  example: unknown,
  headers?: ResponseConfig['headers'],
): ResponseConfig {
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { 'application/json': { schema: schema as z.ZodTypeAny, example } },
  };
}
