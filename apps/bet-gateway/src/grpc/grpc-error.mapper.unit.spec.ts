import { status } from '@grpc/grpc-js';

import { ERROR_CATALOGUE, ERROR_CODES, PitbossError } from '@pitboss/contracts';

import { errorResponseOf } from '../bets/idempotent-commands';
import { asciiJson, grpcErrorOf, grpcErrorOfAnswer } from './grpc-error.mapper';

describe(grpcErrorOfAnswer.name, () => {
  it('maps a stored refusal to its catalogue status, message and trailers', () => {
    const answer = errorResponseOf(
      new PitbossError('INSUFFICIENT_FUNDS', 'bet bet-1 was refused', {
        balance: { minor_units: 100, currency: 'EUR' },
      }),
    );

    const sut = grpcErrorOfAnswer(answer);

    expect(sut).toEqual({
      code: status.FAILED_PRECONDITION,
      details: 'bet bet-1 was refused',
      trailers: {
        'pitboss-error-code': 'INSUFFICIENT_FUNDS',
        'pitboss-retryable': 'false',
        'pitboss-error-details': '{"balance":{"minor_units":100,"currency":"EUR"}}',
      },
    });
  });

  it('carries retry-after from the answer headers', () => {
    const sut = grpcErrorOfAnswer(
      errorResponseOf(new PitbossError('RATE_LIMITED', 'slow down', { scope: 'session' }, 3)),
    );

    expect(sut.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(sut.trailers).toEqual({
      'pitboss-error-code': 'RATE_LIMITED',
      'pitboss-retryable': 'true',
      'retry-after': '3',
      'pitboss-error-details': '{"scope":"session"}',
    });
  });

  it('treats a body without a known code as INTERNAL_ERROR', () => {
    const sut = grpcErrorOfAnswer({ body: { error: { code: 'NO_SUCH_CODE', message: 'm' } } });

    expect(sut.code).toBe(status.INTERNAL);
    expect(sut.trailers['pitboss-error-code']).toBe('INTERNAL_ERROR');
    expect(sut.trailers['pitboss-retryable']).toBe('true');
  });

  it.each(ERROR_CODES)('gives %s the gRPC status of the catalogue', (code) => {
    const sut = grpcErrorOfAnswer(errorResponseOf(new PitbossError(code, 'x')));

    expect(sut.code).toBe(ERROR_CATALOGUE[code].grpcStatus);
    expect(sut.trailers['pitboss-error-code']).toBe(code);
    expect(sut.trailers['pitboss-retryable']).toBe(String(ERROR_CATALOGUE[code].retryable));
  });
});

describe(grpcErrorOf.name, () => {
  it('maps a thrown PitbossError like a stored one', () => {
    const error = new PitbossError('INVALID_SIGNATURE', 'bad signature');

    const sut = grpcErrorOf(error);

    expect(sut).toEqual({ reply: grpcErrorOfAnswer(errorResponseOf(error)), unexpected: false });
    expect(sut.reply.code).toBe(status.UNAUTHENTICATED);
  });

  it('hides anything else behind INTERNAL_ERROR and flags it for logging', () => {
    const sut = grpcErrorOf(new Error('connection to 10.0.0.5:5432 refused'));

    expect(sut.unexpected).toBe(true);
    expect(sut.reply.code).toBe(status.INTERNAL);
    expect(sut.reply.details).not.toContain('10.0.0.5');
    expect(sut.reply.trailers['pitboss-error-code']).toBe('INTERNAL_ERROR');
  });
});

describe(asciiJson.name, () => {
  it('escapes non-ASCII characters, which gRPC text metadata cannot carry', () => {
    const sut = asciiJson({ problem: 'café €' });

    expect(sut).toBe('{"problem":"caf\\u00e9 \\u20ac"}');
    expect(JSON.parse(sut)).toEqual({ problem: 'café €' });
  });
});
