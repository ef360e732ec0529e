import { signedHeaders } from '@pitboss/security';

export interface SignedResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** A JSON answer as the aggregator receives it: tests assert on its fields rather than type them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonAnswer = any;

export interface SignedHttpClient {
  post<T = JsonAnswer>(
    path: string,
    body: unknown,
    options?: { key?: string; headers?: Record<string, string> },
  ): Promise<SignedResponse<T>>;
  /** `body` sent exactly as given (and signed as such): malformed JSON, other media types. */
  postRaw<T = JsonAnswer>(
    path: string,
    body: string,
    options?: { key?: string; headers?: Record<string, string> },
  ): Promise<SignedResponse<T>>;
  get<T = JsonAnswer>(path: string): Promise<SignedResponse<T>>;
}

/**
 * An aggregator's HTTP client: signs every request the way docs/aggregator-guide.md says, the idempotency key
 * included. `options.headers` are set after signing, so a test can send other bytes than the ones signed.
 */
export function signedHttpClient(baseUrl: string, tenantId: string, secret: string): SignedHttpClient {
  const send = async (
    method: 'GET' | 'POST',
    path: string,
    body: string,
    idempotencyKey: string | undefined,
    headers: Record<string, string>,
  ) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...signedHeaders({ tenantId, secret, timestamp: Date.now(), method, path, idempotencyKey, body }),
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(method === 'POST' ? { body } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? undefined : JSON.parse(text),
      headers: response.headers,
    };
  };
  return {
    post: (path, body, options = {}) =>
      send('POST', path, JSON.stringify(body), options.key, options.headers ?? {}),
    postRaw: (path, body, options = {}) => send('POST', path, body, options.key, options.headers ?? {}),
    get: (path) => send('GET', path, '', undefined, {}),
  };
}
