import { parse } from 'lossless-json';

import { PitbossError } from '@pitboss/contracts';

/** A JSON number written with a fraction or an exponent (`1.0`, `1e2`): kept as written for the schemas to refuse. */
export class NonIntegerLiteral {
  constructor(readonly written: string) {}
}

const INTEGER_LITERAL = /^-?(0|[1-9][0-9]*)$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A request body as the commands take it: the bytes the signature was checked over, read as UTF-8 JSON that
 * must be one object. Parsed here rather than by a body parser so that every unreadable body is a 400
 * `INVALID_REQUEST` (never a 500), and so numbers are seen as written: `1.0000000000000001` is not the integer 1,
 * and an integer beyond 2^53 arrives unsafe instead of rounded, for the schemas to refuse. A key given twice
 * with two different values is refused too (lossless-json's rule): two parsers could read that signed body two
 * ways. The same key twice with the same value reads one way everywhere, so it is accepted.
 */
export function jsonBodyOf(contentType: string | undefined, raw: unknown): Record<string, unknown> {
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.alloc(0);
  if (bytes.length === 0) throw invalidBody('the body is empty; send a JSON object');
  if (!isJson(contentType)) {
    throw new PitbossError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type must be application/json, got ${contentType === undefined ? 'none' : `"${contentType}"`}`,
    );
  }
  let value: unknown;
  try {
    value = parse(utf8.decode(bytes), undefined, numberAsWritten);
  } catch (error) {
    throw invalidBody(
      `the body is not valid UTF-8 JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidBody('the body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

function numberAsWritten(written: string): number | NonIntegerLiteral {
  return INTEGER_LITERAL.test(written) ? Number(written) : new NonIntegerLiteral(written);
}

/** `application/json`, optionally with `charset=utf-8` (the only charset JSON has, RFC 8259 §8.1). */
function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [mediaType, ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') return false;
  return parameters.every((parameter) => parameter === '' || parameter === 'charset=utf-8');
}

function invalidBody(message: string): PitbossError {
  return new PitbossError('INVALID_REQUEST', message, { fields: [{ path: '(body)', problem: message }] });
}
