import { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

import { UNKNOWN_ERROR_CODE } from '../metrics/api-error-class';
import { type ApiMetrics } from '../metrics/api-metrics';

/** Probes and scrapes are not the aggregator API (as in http_server_request_duration_seconds). */
const UNCOUNTED_ROUTES = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * Counts each HTTP error answer in `api_errors_total` by route pattern and catalogue code. Every error body of the
 * gateway is written with `res.json`: by ErrorResponseFilter for a thrown error, by `send` for a stored refusal or
 * its replay. So the code is read there, once, rather than at each of those places; the count is taken when the
 * response finished, when the route pattern is known (`unmatched` for a body refused before routing).
 * Mounted on the Express app ahead of the body parser (main.ts), so a PAYLOAD_TOO_LARGE is counted too.
 */
export function apiErrorMetrics(metrics: ApiMetrics): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    let code: string | undefined;
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      code = errorCodeOf(body);
      return json(body);
    };
    res.once('finish', () => {
      if (res.statusCode < 400) return;
      const path: unknown = (req as { route?: { path?: unknown } }).route?.path;
      const route = typeof path === 'string' ? path : 'unmatched';
      if (UNCOUNTED_ROUTES.has(route)) return;
      metrics.apiError('http', route, code ?? UNKNOWN_ERROR_CODE, res.statusCode);
    });
    next();
  };
}

function errorCodeOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
