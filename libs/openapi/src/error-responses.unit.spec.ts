import { type SchemaObject } from '@nestjs/swagger';

import { ERROR_CATALOGUE, ERROR_CODES, type ErrorCode } from '@pitboss/contracts';

import {
  ERROR_DETAILS,
  errorBodySchemaOf,
  errorResponsesOf,
  exampleErrorBody,
  RETRY_AFTER_CODES,
} from './error-responses';
import { jsonSchemaOf } from './openapi-builder';

/** The field paths a text names in backticks as seen in an answer: `error.fields`, `details.balance`, … */
function answerPathsIn(text: string): string[] {
  // eslint-disable-next-line security/detect-unsafe-regex -- one quantified group, matched against our own descriptions
  return [...text.matchAll(/`((?:error|details)(?:\.\w+)+)`/g)].map((match) => match[1]!);
}

function hasPath(value: unknown, path: string): boolean {
  return path.split('.').every((name) => {
    if (typeof value !== 'object' || value === null || !(name in value)) return false;
    value = (value as Record<string, unknown>)[name];
    return true;
  });
}

function schemaHasPath(schema: SchemaObject, path: string): boolean {
  let current: SchemaObject | undefined = schema;
  for (const name of path.split('.')) current = current?.properties?.[name] as SchemaObject | undefined;
  return current !== undefined;
}

describe('the catalogue as OpenAPI error responses', () => {
  it.each(ERROR_CODES)('names in the description of %s only fields its answers have', (code) => {
    const paths = answerPathsIn(ERROR_CATALOGUE[code].description);
    const body = exampleErrorBody(code);
    const schema = jsonSchemaOf(errorBodySchemaOf([code]));

    expect(paths.filter((path) => !hasPath(body, path))).toEqual([]);
    expect(paths.filter((path) => !schemaHasPath(schema, path))).toEqual([]);
  });

  it('would catch a description naming `details.…` while answers spread the details into `error`', () => {
    const paths = answerPathsIn('The wallet refused the debit; `details.balance` is the actual balance.');

    expect(paths).toEqual(['details.balance']);
    expect(hasPath(exampleErrorBody('INSUFFICIENT_FUNDS'), 'details.balance')).toBe(false);
    expect(hasPath(exampleErrorBody('INSUFFICIENT_FUNDS'), 'error.balance')).toBe(true);
  });

  it.each(Object.keys(ERROR_DETAILS) as ErrorCode[])(
    'documents the details of %s where errorBodyOf puts them, example included',
    (code) => {
      const schema = jsonSchemaOf(errorBodySchemaOf([code]));
      const error = schema.properties?.['error'] as SchemaObject;
      const body = exampleErrorBody(code);

      for (const name of Object.keys(ERROR_DETAILS[code]!.shape)) {
        expect(error.properties?.[name]).toBeDefined();
        expect(body.error[name]).toBeDefined();
      }
      expect(errorBodySchemaOf([code]).strict().parse(body)).toEqual(body);
    },
  );

  it('groups codes by their catalogue HTTP status, with the catalogue retryable in every example', () => {
    const codes: ErrorCode[] = ['INVALID_REQUEST', 'RATE_LIMITED', 'BET_NOT_FOUND', 'PAYLOAD_TOO_LARGE'];

    const sut = errorResponsesOf(codes);

    expect(Object.keys(sut)).toEqual(['400', '404', '413', '429']);
    for (const code of codes) {
      const response = sut[String(ERROR_CATALOGUE[code].httpStatus)]!;
      const examples = response.content?.['application/json']?.examples as Record<string, { value: unknown }>;
      expect(examples[code]?.value).toEqual({
        error: expect.objectContaining({ code, retryable: ERROR_CATALOGUE[code].retryable }),
      });
      expect(response.description).toContain(`\`${code}\``);
    }
  });

  it('documents Retry-After for every code whose catalogue description tells to wait for it', () => {
    const told = ERROR_CODES.filter((code) => ERROR_CATALOGUE[code].description.includes('`Retry-After`'));

    expect(told.filter((code) => !RETRY_AFTER_CODES.includes(code))).toEqual([]);
  });

  it('adds Retry-After exactly to the statuses of codes that carry one', () => {
    const sut = errorResponsesOf(['INVALID_REQUEST', ...RETRY_AFTER_CODES]);

    for (const [status, response] of Object.entries(sut)) {
      const retries = RETRY_AFTER_CODES.some((code) => String(ERROR_CATALOGUE[code].httpStatus) === status);
      expect({ status, header: 'Retry-After' in (response.headers ?? {}) }).toEqual({
        status,
        header: retries,
      });
    }
  });
});
