import { PitbossError } from '@pitboss/contracts';

import { jsonBodyOf, NonIntegerLiteral } from './json-request-body';

const JSON_TYPE = 'application/json';
const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    if (error instanceof PitbossError) return error.code;
    throw error;
  }
  return undefined;
};

describe(jsonBodyOf.name, () => {
  it('reads one JSON object, integers as numbers', () => {
    expect(jsonBodyOf(JSON_TYPE, Buffer.from('{"a": {"minor_units": 250}, "s": "\\u00e9"}'))).toEqual({
      a: { minor_units: 250 },
      s: 'é',
    });
  });

  it('keeps numbers written with a fraction or an exponent as written, for the schemas to refuse', () => {
    const sut = jsonBodyOf(JSON_TYPE, Buffer.from('{"a": 1.0000000000000001, "b": 2.5e2, "c": 1.0}'));

    expect(sut).toEqual({
      a: new NonIntegerLiteral('1.0000000000000001'),
      b: new NonIntegerLiteral('2.5e2'),
      c: new NonIntegerLiteral('1.0'),
    });
  });

  it('lets an integer beyond 2^53 arrive unsafe rather than look like a valid amount', () => {
    const { a } = jsonBodyOf(JSON_TYPE, Buffer.from('{"a": 9007199254740993}'));

    expect(Number.isSafeInteger(a)).toBe(false);
  });

  it.each([
    ['truncated', '{"bet_id": "x",'],
    ['null', 'null'],
    ['a string', '"hello"'],
    ['a number', '42'],
    ['an array', '[]'],
    ['empty', ''],
    ['a key given twice', '{"a": 1, "a": 2}'],
  ])('refuses a body that is %s with INVALID_REQUEST', (_case, raw) => {
    expect(codeOf(() => jsonBodyOf(JSON_TYPE, Buffer.from(raw)))).toBe('INVALID_REQUEST');
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(codeOf(() => jsonBodyOf(JSON_TYPE, Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])))).toBe(
      'INVALID_REQUEST',
    );
  });

  it.each([
    ['application/json; charset=utf-8', undefined],
    ['Application/JSON; Charset=UTF-8', undefined],
    ['application/x-www-form-urlencoded', 'UNSUPPORTED_MEDIA_TYPE'],
    ['text/plain', 'UNSUPPORTED_MEDIA_TYPE'],
    ['application/json; charset=latin1', 'UNSUPPORTED_MEDIA_TYPE'],
    [undefined, 'UNSUPPORTED_MEDIA_TYPE'],
  ])('answers Content-Type %s with %s', (contentType, code) => {
    expect(codeOf(() => jsonBodyOf(contentType, Buffer.from('{}')))).toBe(code);
  });
});
