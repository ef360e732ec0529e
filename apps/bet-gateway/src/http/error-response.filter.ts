import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { type Response } from 'express';

import { type ErrorCode, errorBodyOf, PitbossError } from '@pitboss/contracts';

/** Express body-parser failures, by their `type`, as catalogue errors. */
// A Map, not an object literal: a type named like an inherited property (`constructor`) must find nothing.
const BODY_PARSER_ERRORS = new Map<string, ErrorCode>([
  ['entity.too.large', 'PAYLOAD_TOO_LARGE'],
  ['entity.parse.failed', 'INVALID_REQUEST'],
  ['encoding.unsupported', 'INVALID_REQUEST'],
  ['charset.unsupported', 'INVALID_REQUEST'],
]);

/** The one place an HTTP status is chosen for an error: the catalogue's, with the catalogue's body. */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger(ErrorResponseFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const error = this.asPitbossError(exception);
    const response = host.switchToHttp().getResponse<Response>();
    if (error.retryAfterSeconds !== undefined)
      response.setHeader('Retry-After', String(error.retryAfterSeconds));
    response.status(error.definition.httpStatus).json(errorBodyOf(error));
  }

  private asPitbossError(exception: unknown): PitbossError {
    if (exception instanceof PitbossError) return exception;
    const parserCode = bodyParserCode(exception);
    if (parserCode !== undefined) return new PitbossError(parserCode, (exception as Error).message);
    if (exception instanceof HttpException && exception.getStatus() === 404) {
      return new PitbossError('INVALID_REQUEST', `no such route: ${exception.message}`);
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    return new PitbossError('INTERNAL_ERROR', 'internal error; retry with the same idempotency key');
  }
}

function bodyParserCode(exception: unknown): ErrorCode | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const type = (exception as { type?: unknown }).type;
  return typeof type === 'string' ? BODY_PARSER_ERRORS.get(type) : undefined;
}
