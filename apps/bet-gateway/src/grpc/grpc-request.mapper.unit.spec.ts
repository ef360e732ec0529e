import { type MethodDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

import { BET_GATEWAY_PROTO_PATH, PitbossError } from '@pitboss/contracts';
import { requestFingerprint } from '@pitboss/idempotency';

import {
  authorizeBetSchema,
  openSessionSchema,
  rollbackBetSchema,
  settleBetSchema,
} from '../api/request-schemas';
import { validate } from '../api/validate';
import {
  authorizeBetBodyOf,
  type DecodedMessage,
  openSessionBodyOf,
  rollbackBetBodyOf,
  settleBetBodyOf,
} from './grpc-request.mapper';
import {
  BET_GATEWAY_SERVICE,
  betGatewayServiceDefinition,
  PROTO_LOADER_OPTIONS,
  type SignedRequest,
} from './grpc-service-definition';

// The real contract's (de)serializers: what the server's handlers receive for a given message on the wire.
const service = betGatewayServiceDefinition();

function received(method: string, message: object): DecodedMessage {
  const definition = service[method] as MethodDefinition<object, unknown> | undefined;
  if (definition === undefined) throw new Error(`no ${method}`);
  const request = definition.requestDeserialize(wire(method, message)) as SignedRequest;
  if (request.message === undefined) throw new Error(request.decodeError);
  return request.message;
}

// The server's definition never serializes requests, so the wire bytes come from the contract as a client loads it.
const clientMethods = loadSync(BET_GATEWAY_PROTO_PATH, PROTO_LOADER_OPTIONS)[BET_GATEWAY_SERVICE] as Record<
  string,
  MethodDefinition<object, unknown>
>;

function wire(method: string, message: object): Buffer {
  const definition = clientMethods[method];
  if (definition === undefined) throw new Error(`no ${method}`);
  return definition.requestSerialize(message);
}

const authorizeRequest = {
  bet_id: 'bet-1',
  round_id: 'round-1',
  session_id: 'session-1',
  player_id: 'player-1',
  game_id: 'slots-1',
  game_type: 'slot',
  amount: { minor_units: 250, currency: 'EUR' },
};

function invalidFields(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof PitbossError && error.code === 'INVALID_REQUEST') {
      return [...new Set((error.details['fields'] as { path: string }[]).map((field) => field.path))];
    }
    throw error;
  }
  throw new Error('expected INVALID_REQUEST');
}

describe('grpc request mapping', () => {
  describe(authorizeBetBodyOf.name, () => {
    it('gives the JSON body HTTP takes, so an idempotency key means the same request on both transports', () => {
      const sut = authorizeBetBodyOf(received('AuthorizeBet', authorizeRequest));

      expect(sut).toEqual(authorizeRequest);
      expect(requestFingerprint({ method: 'POST', path: '/v1/bets/authorize', body: sut })).toBe(
        requestFingerprint({
          method: 'POST',
          path: '/v1/bets/authorize',
          body: JSON.parse(JSON.stringify(authorizeRequest)),
        }),
      );
      expect(validate(authorizeBetSchema, sut)).toEqual({ ...authorizeRequest });
    });

    it('leaves an absent bonus_grant_id out and keeps a present one', () => {
      expect(authorizeBetBodyOf(received('AuthorizeBet', authorizeRequest))).not.toHaveProperty(
        'bonus_grant_id',
      );
      expect(
        authorizeBetBodyOf(received('AuthorizeBet', { ...authorizeRequest, bonus_grant_id: 'grant-1' })),
      ).toMatchObject({ bonus_grant_id: 'grant-1' });
    });

    it('carries entitlement_id through the wire format, and reads an absent or empty one as none', () => {
      expect(
        authorizeBetBodyOf(received('AuthorizeBet', { ...authorizeRequest, entitlement_id: 'ent-1' })),
      ).toMatchObject({ entitlement_id: 'ent-1' });
      expect(authorizeBetBodyOf(received('AuthorizeBet', authorizeRequest))).not.toHaveProperty(
        'entitlement_id',
      );
      expect(
        authorizeBetBodyOf(received('AuthorizeBet', { ...authorizeRequest, entitlement_id: '' })),
      ).not.toHaveProperty('entitlement_id');
    });

    it('reads an explicitly empty bonus_grant_id as no bonus, as the guide says of every empty string', () => {
      const sut = authorizeBetBodyOf(received('AuthorizeBet', { ...authorizeRequest, bonus_grant_id: '' }));

      expect(sut).not.toHaveProperty('bonus_grant_id');
      expect(validate(authorizeBetSchema, sut).bonus_grant_id).toBeUndefined();
    });

    it('turns proto3 defaults (empty strings, absent Money) into INVALID_REQUEST fields', () => {
      const sut = authorizeBetBodyOf(received('AuthorizeBet', { bet_id: 'bet-1' }));

      expect(invalidFields(() => validate(authorizeBetSchema, sut))).toEqual([
        'round_id',
        'session_id',
        'player_id',
        'game_id',
        'game_type',
        'amount',
      ]);
    });

    it('refuses an int64 amount above Number.MAX_SAFE_INTEGER instead of rounding it', () => {
      const sut = authorizeBetBodyOf(
        received('AuthorizeBet', {
          ...authorizeRequest,
          amount: { minor_units: '9007199254740993', currency: 'EUR' },
        }),
      );

      expect(invalidFields(() => validate(authorizeBetSchema, sut))).toEqual(['amount.minor_units']);
    });

    it('accepts Number.MAX_SAFE_INTEGER itself', () => {
      const sut = authorizeBetBodyOf(
        received('AuthorizeBet', {
          ...authorizeRequest,
          amount: { minor_units: String(Number.MAX_SAFE_INTEGER), currency: 'EUR' },
        }),
      );

      expect(validate(authorizeBetSchema, sut).amount.minor_units).toBe(Number.MAX_SAFE_INTEGER);
    });
  });

  it(`${openSessionBodyOf.name} maps the session request`, () => {
    const request = { player_id: 'player-1', game_id: 'slots-1', currency: 'EUR' };

    expect(validate(openSessionSchema, openSessionBodyOf(received('OpenSession', request)))).toEqual(request);
  });

  it(`${settleBetBodyOf.name} maps a zero win (a proto3 default) to minor_units 0`, () => {
    const sut = settleBetBodyOf(
      received('SettleBet', { bet_id: 'bet-1', round_id: 'round-1', win: { currency: 'EUR' } }),
    );

    expect(validate(settleBetSchema, sut)).toEqual({
      bet_id: 'bet-1',
      round_id: 'round-1',
      win: { minor_units: 0, currency: 'EUR' },
    });
  });

  it(`${settleBetBodyOf.name} refuses a settle without a win`, () => {
    const sut = settleBetBodyOf(received('SettleBet', { bet_id: 'bet-1', round_id: 'round-1' }));

    expect(invalidFields(() => validate(settleBetSchema, sut))).toEqual(['win']);
  });

  it(`${rollbackBetBodyOf.name} maps the rollback request`, () => {
    const request = { bet_id: 'bet-1', reason: 'game crashed' };

    expect(validate(rollbackBetSchema, rollbackBetBodyOf(received('RollbackBet', request)))).toEqual(request);
  });

  it('hands undecodable bytes to the handler with the reason, so it can answer after the signature check', () => {
    const definition = service['AuthorizeBet'] as MethodDefinition<SignedRequest, unknown>;

    const sut = definition.requestDeserialize(Buffer.from([0xff, 0xff, 0xff]));

    expect(sut.raw).toEqual(Buffer.from([0xff, 0xff, 0xff]));
    expect(sut.message).toBeUndefined();
    expect(sut.decodeError).toEqual(expect.any(String));
  });
});
