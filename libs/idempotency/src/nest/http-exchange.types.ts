/** The parts of an Express (or compatible) request and response the interceptor uses, to avoid typing on Express. */
export interface IdempotentHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface IdempotentHttpResponse {
  readonly statusCode: number;
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
  getHeader(name: string): number | string | string[] | undefined;
}
