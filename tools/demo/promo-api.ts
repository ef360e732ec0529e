import { randomUUID } from 'node:crypto';

import { issueToken, type JsonAnswer } from '@pitboss/testing';

/** An answer of one of the promo services' operator APIs: status and parsed JSON body. */
export interface PromoAnswer {
  readonly status: number;
  /** Read field by field where the journey checks it, as the tests read answers. */
  readonly body: JsonAnswer;
}

/** A Keycloak client of the local realm (client credentials) and the scopes its tokens ask for. */
export interface Operator {
  readonly client: string;
  readonly scope: string;
}

/**
 * The operators' side of bonus-grant and wagering-progress as a promo manager's tool calls it: a fresh Keycloak
 * token per call (client credentials), JSON bodies, and on every write an `X-Idempotency-Key` and `X-Trace-Id`.
 */
export function promoApi(baseUrl: string) {
  return async (method: string, path: string, operator: Operator, body?: unknown): Promise<PromoAnswer> => {
    const token = await issueToken(operator.client, { scope: operator.scope });
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined
          ? {}
          : {
              'content-type': 'application/json',
              'x-idempotency-key': randomUUID(),
              'x-trace-id': randomUUID(),
            }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text) };
  };
}

export type PromoCall = ReturnType<typeof promoApi>;

/** Throws with the answer when it is not the expected status: a demo step that did not do what it says. */
export function expectStatus(step: string, answer: PromoAnswer, ...expected: number[]): PromoAnswer {
  if (!expected.includes(answer.status))
    throw new Error(`${step}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
}
