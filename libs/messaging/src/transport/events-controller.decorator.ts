import {
  applyDecorators,
  type ArgumentsHost,
  Catch,
  Controller,
  type RpcExceptionFilter,
  UseFilters,
} from '@nestjs/common';
import { type Observable, throwError } from 'rxjs';

/**
 * Nest's default RPC filter replaces any error but an RpcException with `{status: 'error', message: 'Internal
 * server error'}` and logs it. The transport needs the handler's own error: a NonRetryableError goes to the DLQ at
 * once, and the DLQ headers name the error. This filter hands it on untouched.
 */
@Catch()
class HandlerErrorPassThrough implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}

/**
 * A controller of `@EventPattern(eventType)` handlers on the Kafka transport (listed in its module's
 * `controllers`). Use it instead of `@Controller()`: it keeps the handlers' errors what they threw.
 */
export function EventsController(): ClassDecorator {
  return applyDecorators(Controller(), UseFilters(new HandlerErrorPassThrough()));
}
