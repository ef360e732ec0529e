import { canonicalJson } from './canonical-json';

describe(canonicalJson.name, () => {
  const sut = canonicalJson;

  it('sorts object keys recursively, also inside arrays', () => {
    expect(sut({ b: 1, a: [{ d: 1, c: 2 }], c: { z: true, y: null } })).toBe(
      '{"a":[{"c":2,"d":1}],"b":1,"c":{"y":null,"z":true}}',
    );
  });

  it('follows JSON.stringify for values JSON cannot hold', () => {
    expect(sut({ a: undefined, b: Number.NaN, c: new Date(0) })).toBe(
      '{"b":null,"c":"1970-01-01T00:00:00.000Z"}',
    );
  });

  it('keeps a "__proto__" key of a parsed body, so that body cannot fingerprint as one without it', () => {
    const withProto = JSON.parse('{"amount":1,"__proto__":{"amount":2}}') as unknown;

    expect(sut(withProto)).toBe('{"__proto__":{"amount":2},"amount":1}');
    expect(sut(withProto)).not.toBe(sut({ amount: 1 }));
  });

  it('writes null for no value at all', () => {
    expect(sut(undefined)).toBe('null');
  });
});
