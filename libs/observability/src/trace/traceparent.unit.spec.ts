import {
  childTraceparent,
  formatTraceparent,
  newTraceparent,
  parseTraceparent,
  traceIdOf,
} from './traceparent';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const header = (
  overrides: { version?: string; traceId?: string; spanId?: string; flags?: string } = {},
): string =>
  [
    overrides.version ?? '00',
    overrides.traceId ?? TRACE_ID,
    overrides.spanId ?? SPAN_ID,
    overrides.flags ?? '01',
  ].join('-');

describe(parseTraceparent.name, () => {
  it('parses the spec example', () => {
    expect(parseTraceparent(header())).toEqual({ traceId: TRACE_ID, spanId: SPAN_ID, flags: 1 });
  });

  it('tolerates surrounding whitespace of a header value', () => {
    expect(parseTraceparent(` ${header()} `)?.traceId).toBe(TRACE_ID);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['uppercase hex', header({ traceId: TRACE_ID.toUpperCase() })],
    ['all-zero trace id', header({ traceId: '0'.repeat(32) })],
    ['all-zero span id', header({ spanId: '0'.repeat(16) })],
    ['forbidden version ff', header({ version: 'ff' })],
    ['short trace id', header({ traceId: TRACE_ID.slice(1) })],
    ['long span id', header({ spanId: `${SPAN_ID}0` })],
    ['non-hex flags', header({ flags: '0g' })],
    ['version 00 with extra fields', `${header()}-extra`],
    ['future version with a tail not introduced by a dash', `${header({ version: '01' })}x`],
  ])('refuses a %s header', (_, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });

  it('reads the known fields of a future version and skips the rest', () => {
    expect(parseTraceparent(`${header({ version: 'cc' })}-what-the-future-holds`)).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      flags: 1,
    });
  });
});

describe(formatTraceparent.name, () => {
  it('formats version 00 with two-digit flags', () => {
    expect(formatTraceparent({ traceId: TRACE_ID, spanId: SPAN_ID, flags: 0 })).toBe(header({ flags: '00' }));
  });
});

describe(newTraceparent.name, () => {
  it('makes valid, sampled and distinct traces', () => {
    const first = parseTraceparent(newTraceparent());
    const second = parseTraceparent(newTraceparent());

    expect(first).toBeDefined();
    expect(first?.flags).toBe(1);
    expect(first?.traceId).not.toBe(second?.traceId);
  });
});

describe(childTraceparent.name, () => {
  it('keeps the trace and flags with a new span', () => {
    const child = parseTraceparent(childTraceparent(header({ flags: '00' })));

    expect(child).toMatchObject({ traceId: TRACE_ID, flags: 0 });
    expect(child?.spanId).not.toBe(SPAN_ID);
  });

  it('starts a new trace when the parent is invalid', () => {
    expect(parseTraceparent(childTraceparent('garbage'))).toBeDefined();
  });
});

describe(traceIdOf.name, () => {
  it('returns the trace id of a valid header and undefined otherwise', () => {
    expect(traceIdOf(header())).toBe(TRACE_ID);
    expect(traceIdOf('garbage')).toBeUndefined();
    expect(traceIdOf(undefined)).toBeUndefined();
  });
});
