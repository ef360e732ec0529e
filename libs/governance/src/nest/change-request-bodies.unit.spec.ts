import { PitbossError } from '@pitboss/contracts';

import {
  jsonObjectOf,
  listChangeRequestsQuerySchema,
  parseOrInvalid,
  submitChangeRequestSchema,
} from './change-request-bodies';

function errorOf(act: () => unknown): PitbossError {
  try {
    act();
  } catch (error) {
    if (error instanceof PitbossError) return error;
    throw error;
  }
  throw new Error('expected a PitbossError');
}

describe(jsonObjectOf.name, () => {
  it('Given raw JSON bytes (a raw body parser), Then the object', () => {
    expect(jsonObjectOf('application/json', Buffer.from('{"reason":"r"}'))).toEqual({ reason: 'r' });
  });

  it('Given a body a JSON parser already read, Then that object', () => {
    expect(jsonObjectOf('application/json', { reason: 'r' })).toEqual({ reason: 'r' });
  });

  it.each([
    ['empty bytes', 'application/json', Buffer.alloc(0), 'INVALID_REQUEST'],
    ['not JSON', 'application/json', Buffer.from('{'), 'INVALID_REQUEST'],
    ['an array', 'application/json', Buffer.from('[]'), 'INVALID_REQUEST'],
    ['text/plain bytes', 'text/plain', Buffer.from('{}'), 'UNSUPPORTED_MEDIA_TYPE'],
  ])('Given %s (%s), Then %s', (_name, contentType, body, code) => {
    expect(errorOf(() => jsonObjectOf(contentType, body)).code).toBe(code);
  });
});

describe(parseOrInvalid.name, () => {
  it('Given a submission without a reason and with an unknown field, Then INVALID_REQUEST naming both', () => {
    const sut = errorOf(() =>
      parseOrInvalid(submitChangeRequestSchema, { kind: 'game_config', payload: {}, extra: 1 }),
    );
    expect(sut.code).toBe('INVALID_REQUEST');
    expect(sut.details['fields']).toEqual(
      expect.arrayContaining([
        { path: 'reason', problem: 'Required' },
        { path: 'extra', problem: 'unknown field' },
      ]),
    );
  });

  it('Given a submission without a payload, Then INVALID_REQUEST on payload', () => {
    const sut = errorOf(() =>
      parseOrInvalid(submitChangeRequestSchema, { kind: 'game_config', reason: 'r' }),
    );
    expect(sut.details['fields']).toEqual([{ path: 'payload', problem: 'required' }]);
  });

  it('Given a list query with an unknown status, Then INVALID_REQUEST; a known one parses', () => {
    expect(errorOf(() => parseOrInvalid(listChangeRequestsQuerySchema, { status: 'done' })).code).toBe(
      'INVALID_REQUEST',
    );
    expect(parseOrInvalid(listChangeRequestsQuerySchema, { status: 'expired', limit: '5' })).toEqual({
      status: 'expired',
      limit: 5,
    });
  });
});
