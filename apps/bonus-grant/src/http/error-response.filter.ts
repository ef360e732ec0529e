import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { type Response } from 'express';

import { errorBodyOf, PitbossError } from '@pitboss/contracts';

/** The one place bonus-grant's API chooses an HTTP status: the catalogue's, with the catalogue's body. */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  private readonly logger = new Logger(ErrorResponseFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const error = this.asPitbossError(exception);
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(error.definition.httpStatus).json(errorBodyOf(error));
  }

  private asPitbossError(exception: unknown): PitbossError {
    if (exception instanceof PitbossError) return exception;
    if (exception instanceof HttpException && exception.getStatus() === 404)
      return new PitbossError('INVALID_REQUEST', `no such route: ${exception.message}`);
    if (exception instanceof HttpException && exception.getStatus() === 400)
      return new PitbossError('INVALID_REQUEST', exception.message);
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    return new PitbossError('INTERNAL_ERROR', 'internal error; retry');
  }
}
