/**
 * Negative requests derived from an OpenAPI 3.0 document alone, for openapi-negative.e2e.spec.ts: a route added to
 * the gateway's document is covered without touching the test. Each case says what it breaks and which error
 * codes may answer it; the spec sends it and checks the answer against the document and the catalogue.
 */

/** The subset of JSON Schema the gateway's document uses (zod-to-openapi output, no $ref inside bodies). */
export interface Schema {
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | Schema;
  readonly items?: Schema;
  readonly maxLength?: number;
  readonly maxItems?: number;
  readonly minimum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly pattern?: string;
  readonly enum?: readonly unknown[];
  readonly nullable?: boolean;
}

export interface Operation {
  readonly method: string;
  readonly path: string;
  readonly operationId: string;
  readonly security?: readonly Record<string, readonly string[]>[];
  readonly parameters?: readonly { name: string; in: string; required?: boolean; schema: Schema }[];
  readonly requestBody?: { content: Record<string, { schema: Schema; example?: unknown }> };
  readonly responses: Record<string, { content?: Record<string, { schema?: ErrorResponseSchema }> }>;
}

interface ErrorResponseSchema {
  readonly properties?: { error?: { properties?: { code?: { enum?: readonly string[] } } } };
}

export type NegativeCase =
  | {
      readonly kind: 'body';
      readonly name: string;
      readonly body: unknown;
      readonly expect: readonly string[];
    }
  | {
      readonly kind: 'raw';
      readonly name: string;
      readonly raw: string;
      readonly contentType: string;
      readonly expect: readonly string[];
    }
  | {
      readonly kind: 'path';
      readonly name: string;
      readonly params: Record<string, string>;
      readonly expect: readonly string[];
    }
  | {
      readonly kind: 'idempotency-key';
      readonly name: string;
      readonly key: string | undefined;
      readonly expect: readonly string[];
    }
  | {
      readonly kind:
        'unsigned' | 'bad-signature' | 'stale-timestamp' | 'unknown-tenant' | 'no-token' | 'bad-token';
      readonly name: string;
      readonly expect: readonly string[];
    };

const INVALID_REQUEST = ['INVALID_REQUEST'];
const SIGNATURE_CODES = ['INVALID_SIGNATURE', 'STALE_TIMESTAMP', 'UNKNOWN_TENANT'];
const TOKEN_CODES = ['UNAUTHENTICATED'];

/** Every operation of the document, in document order. */
export function operationsOf(document: { paths: Record<string, Record<string, unknown>> }): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'put', 'post', 'patch', 'delete'].includes(method))
      .map(([method, operation]) => ({ ...(operation as Omit<Operation, 'method' | 'path'>), method, path })),
  );
}

/** Signed with the aggregator's HMAC headers (the `signature` scheme), rather than by another credential. */
export const isAggregatorSigned = (operation: Operation): boolean =>
  (operation.security ?? []).some((requirement) => 'signature' in requirement);

/** The error codes the document lists for `status` of `operation` (its response schema's `error.code` enum). */
export function documentedCodes(operation: Operation, status: number): readonly string[] | undefined {
  const response = operation.responses[String(status)];
  if (response === undefined) return undefined;
  return response.content?.['application/json']?.schema?.properties?.error?.properties?.code?.enum ?? [];
}

export function jsonBodySchema(operation: Operation): { schema: Schema; example: unknown } | undefined {
  const json = operation.requestBody?.content['application/json'];
  return json === undefined ? undefined : { schema: json.schema, example: json.example };
}

/**
 * The cases of one operation. `validBody` is an accepted body (the document's example, with the test's real ids),
 * `validParams` accepted path parameters: each case breaks exactly one thing of them.
 */
export function casesOf(
  operation: Operation,
  validBody: unknown,
  validParams: Record<string, string>,
): NegativeCase[] {
  if (!isAggregatorSigned(operation)) {
    // Operator routes take OAuth tokens (another change is moving them); only the credential is probed here.
    return [
      { kind: 'no-token', name: 'no bearer token', expect: TOKEN_CODES },
      { kind: 'bad-token', name: 'a bearer token that is not a JWT', expect: TOKEN_CODES },
    ];
  }
  const cases: NegativeCase[] = [
    { kind: 'unsigned', name: 'no signature headers', expect: SIGNATURE_CODES },
    { kind: 'bad-signature', name: 'signed with the wrong secret', expect: ['INVALID_SIGNATURE'] },
    { kind: 'stale-timestamp', name: 'signed 10 minutes ago', expect: ['STALE_TIMESTAMP'] },
    { kind: 'unknown-tenant', name: 'signed as a tenant that does not exist', expect: ['UNKNOWN_TENANT'] },
  ];
  for (const parameter of operation.parameters ?? []) {
    if (parameter.in === 'path') cases.push(...pathCases(parameter.name, parameter.schema, validParams));
    if (
      parameter.in === 'header' &&
      parameter.name.toLowerCase() === 'x-idempotency-key' &&
      parameter.required
    ) {
      cases.push(
        {
          kind: 'idempotency-key',
          name: 'no X-Idempotency-Key',
          key: undefined,
          expect: ['IDEMPOTENCY_KEY_MISSING'],
        },
        ...(parameter.schema.maxLength === undefined
          ? []
          : [
              {
                kind: 'idempotency-key' as const,
                name: 'X-Idempotency-Key over maxLength',
                key: 'k'.repeat(parameter.schema.maxLength + 1),
                expect: ['IDEMPOTENCY_KEY_INVALID'],
              },
            ]),
      );
    }
  }
  const body = jsonBodySchema(operation);
  if (body !== undefined) {
    cases.push(
      {
        kind: 'raw',
        name: 'Content-Type text/plain',
        raw: JSON.stringify(validBody),
        contentType: 'text/plain',
        expect: ['UNSUPPORTED_MEDIA_TYPE'],
      },
      {
        kind: 'raw',
        name: 'a body that is not JSON',
        raw: '{"bet_id": ',
        contentType: 'application/json',
        expect: INVALID_REQUEST,
      },
      {
        kind: 'raw',
        name: 'a JSON array as the body',
        raw: '[]',
        contentType: 'application/json',
        expect: INVALID_REQUEST,
      },
      ...rawJsonCases(operation, validBody),
      ...schemaCases(body.schema, validBody, []),
    );
  }
  return cases;
}

/**
 * Bodies a JSON.stringify of an object cannot produce: a key given twice with two values (a last-wins parser would
 * read the valid body, so only a refusal passes), and one beyond the size limit when the document lists a 413.
 */
function rawJsonCases(operation: Operation, validBody: unknown): NegativeCase[] {
  const json = JSON.stringify(validBody);
  const cases: NegativeCase[] = [];
  const [first] = Object.entries(validBody as Record<string, unknown>);
  if (first !== undefined) {
    const [key, value] = first;
    const other = typeof value === 'string' ? `${value}-other` : 'other';
    cases.push({
      kind: 'raw',
      name: `the key ${key} twice, with two values`,
      raw: json.replace(/^\{/, `{${JSON.stringify(key)}:${JSON.stringify(other)},`),
      contentType: 'application/json',
      expect: INVALID_REQUEST,
    });
  }
  if (operation.responses['413'] !== undefined)
    cases.push({
      kind: 'raw',
      name: 'a 1 MiB body',
      raw: JSON.stringify({ ...(validBody as object), padding: 'x'.repeat(1024 * 1024) }),
      contentType: 'application/json',
      expect: ['PAYLOAD_TOO_LARGE'],
    });
  return cases;
}

function pathCases(name: string, schema: Schema, validParams: Record<string, string>): NegativeCase[] {
  const broken = (label: string, value: string): NegativeCase => ({
    kind: 'path',
    name: `path ${name}: ${label}`,
    params: { ...validParams, [name]: value },
    expect: INVALID_REQUEST,
  });
  const cases: NegativeCase[] = [];
  if (schema.maxLength !== undefined) cases.push(broken('over maxLength', 'x'.repeat(schema.maxLength + 1)));
  const offPattern = 'bad id\u00e9';
  // eslint-disable-next-line security/detect-non-literal-regexp -- the gateway's own document, not user input
  if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(offPattern))
    cases.push(broken('outside its pattern', offPattern));
  return cases;
}

/** Walks the body schema: each object's required fields, unknown fields, and each property's type and bounds. */
function schemaCases(schema: Schema, valid: unknown, at: readonly string[]): NegativeCase[] {
  const where = at.length === 0 ? '(body)' : at.join('.');
  const with_ = (label: string, value: unknown): NegativeCase => ({
    kind: 'body',
    name: `${where}: ${label}`,
    body: setAt(valid, at, value),
    expect: INVALID_REQUEST,
  });
  const current = getAt(valid, at);
  const cases: NegativeCase[] = [];
  const wrongType = wrongTypeFor(schema);
  if (at.length > 0 && wrongType !== undefined)
    cases.push(with_(`wrong JSON type (${typeof wrongType})`, wrongType));
  if (schema.enum !== undefined) cases.push(with_('not one of its enum', 'NOT_AN_ENUM_VALUE'));
  if (schema.type === 'string' && schema.maxLength !== undefined)
    cases.push(with_('over maxLength', 'x'.repeat(schema.maxLength + 1)));
  if (schema.type === 'array' && schema.maxItems !== undefined)
    cases.push(
      with_(
        'over maxItems',
        Array.from({ length: schema.maxItems + 1 }, (_, i) => `x${i}`),
      ),
    );
  if ((schema.type === 'integer' || schema.type === 'number') && schema.minimum !== undefined)
    cases.push(with_('below its minimum', schema.exclusiveMinimum ? schema.minimum : schema.minimum - 1));
  if (schema.type === 'integer') cases.push(with_('a fraction', 1.5));
  if (schema.type === 'object' && schema.properties !== undefined && isObject(current)) {
    for (const field of schema.required ?? []) {
      const { [field]: _dropped, ...rest } = current;
      cases.push({
        kind: 'body',
        name: `${where}: without required ${field}`,
        body: setAt(valid, at, rest),
        expect: INVALID_REQUEST,
      });
    }
    if (schema.additionalProperties === false)
      cases.push(with_('an unknown field', { ...current, unknown_field: 'x' }));
    // Optional fields the valid body leaves out are probed too (a wrong type, an oversize value).
    for (const [field, property] of Object.entries(schema.properties))
      cases.push(...schemaCases(property, valid, [...at, field]));
  }
  return cases;
}

function wrongTypeFor(schema: Schema): unknown {
  switch (schema.type) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
      return '12';
    case 'boolean':
      return 'true';
    case 'object':
      return 'not an object';
    case 'array':
      return 'not an array';
    default:
      return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function getAt(value: unknown, at: readonly string[]): unknown {
  return at.reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), value);
}

function setAt(value: unknown, at: readonly string[], replacement: unknown): unknown {
  if (at.length === 0) return replacement;
  const [head, ...rest] = at as [string, ...string[]];
  const node = isObject(value) ? value : {};
  return { ...node, [head]: setAt(node[head], rest, replacement) };
}
