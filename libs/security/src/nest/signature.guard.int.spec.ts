import {
  type ArgumentsHost,
  Body,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  type INestApplication,
  Module,
  Post,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { errorBodyOf, PitbossError } from '@pitboss/contracts';
import { listeningUrl, ObservabilityModule } from '@pitboss/observability';
import { RedisModule } from '@pitboss/redis';

import { signedHeaders } from '../signing/sign-request';
import { TenantSecrets } from '../signing/tenant-secrets';
import { PublicRoute } from './public-route.decorator';
import { SecurityModule } from './security.module';
import { TenantId } from './tenant-id.decorator';

const SECRET = 'guard-secret';
const NOW = 1_735_689_600_000;

@Controller('v1/things')
class ThingsController {
  @Post()
  create(@TenantId() tenantId: string, @Body() body: unknown): { tenantId: string; body: unknown } {
    return { tenantId, body };
  }

  @Get()
  list(@TenantId() tenantId: string): { tenantId: string } {
    return { tenantId };
  }

  @Get('open')
  @PublicRoute()
  open(): { open: true } {
    return { open: true };
  }
}

@Controller('docs')
@PublicRoute()
class DocsController {
  @Get()
  docs(): { docs: true } {
    return { docs: true };
  }
}

interface HttpResponse {
  status(code: number): HttpResponse;
  json(body: unknown): void;
}

/** Stands in for the gateway's filter, which maps PitbossError to its HTTP status and error body. */
@Catch(PitbossError)
class PitbossErrorFilter implements ExceptionFilter {
  catch(error: PitbossError, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<HttpResponse>()
      .status(error.definition.httpStatus)
      .json(errorBodyOf(error));
  }
}

@Module({
  imports: [
    ObservabilityModule.forRoot({ serviceName: 'security-guard-int' }),
    RedisModule.forRoot(),
    SecurityModule.forRoot({ tenantSecrets: TenantSecrets.parse(`acme:${SECRET}`), now: () => NOW }),
  ],
  controllers: [ThingsController, DocsController],
})
class TestAppModule {}

async function startApp(options: { rawBody: boolean }): Promise<{ app: INestApplication; baseUrl: string }> {
  const app = await NestFactory.create(TestAppModule, { ...options, logger: false });
  app.useGlobalFilters(new PitbossErrorFilter());
  await app.listen(0, '127.0.0.1');
  return { app, baseUrl: await listeningUrl(app) };
}

function signed(method: string, path: string, body = '', timestamp = NOW): Record<string, string> {
  return signedHeaders({ tenantId: 'acme', secret: SECRET, timestamp, method, path, body });
}

describe('SignatureGuard', () => {
  describe('in an app created with rawBody: true', () => {
    let app: INestApplication;
    let baseUrl: string;

    beforeAll(async () => {
      ({ app, baseUrl } = await startApp({ rawBody: true }));
    });

    afterAll(async () => {
      await app.close();
    });

    async function post(path: string, body: string, headers: Record<string, string>): Promise<Response> {
      return fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    }

    it('verifies the raw body bytes, whitespace and key order included, and exposes the tenant', async () => {
      const body = '{ "b": 2,\n  "a": "Zoë" }';

      const response = await post('/v1/things', body, signed('POST', '/v1/things', body));

      expect(response.status).toBe(201);
      expect(await response.json()).toEqual({ tenantId: 'acme', body: { b: 2, a: 'Zoë' } });
    });

    it('verifies the path with its query string as sent', async () => {
      const path = '/v1/things?b=2&a=%20x';

      const good = await fetch(`${baseUrl}${path}`, { headers: signed('GET', path) });
      const reordered = await fetch(`${baseUrl}${path}`, { headers: signed('GET', '/v1/things?a=%20x&b=2') });

      expect(good.status).toBe(200);
      expect(await good.json()).toEqual({ tenantId: 'acme' });
      expect(reordered.status).toBe(401);
    });

    it('refuses a body changed after signing with INVALID_SIGNATURE', async () => {
      const headers = signed('POST', '/v1/things', '{"amount":1}');

      const response = await post('/v1/things', '{"amount":100}', headers);

      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: { code: 'INVALID_SIGNATURE', message: expect.any(String), retryable: false },
      });
    });

    it('verifies the X-Idempotency-Key header as sent: a capture replayed under another key is refused', async () => {
      const body = '{"amount":1}';
      const headers = signedHeaders({
        tenantId: 'acme',
        secret: SECRET,
        timestamp: NOW,
        method: 'POST',
        path: '/v1/things',
        idempotencyKey: 'key-a',
        body,
      });

      const asSigned = await post('/v1/things', body, headers);
      const otherKey = await post('/v1/things', body, { ...headers, 'x-idempotency-key': 'key-b' });
      const { 'x-idempotency-key': _signedKey, ...withoutKey } = headers;
      const keyDropped = await post('/v1/things', body, withoutKey);

      expect(asSigned.status).toBe(201);
      expect([otherKey.status, keyDropped.status]).toEqual([401, 401]);
      expect(await otherKey.json()).toMatchObject({ error: { code: 'INVALID_SIGNATURE' } });
    });

    it('refuses an unsigned request with UNKNOWN_TENANT', async () => {
      const response = await fetch(`${baseUrl}/v1/things`);

      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'UNKNOWN_TENANT' } });
    });

    it('refuses an old timestamp with STALE_TIMESTAMP', async () => {
      const response = await fetch(`${baseUrl}/v1/things`, {
        headers: signed('GET', '/v1/things', '', NOW - 300_001),
      });

      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'STALE_TIMESTAMP' } });
    });

    it('refuses a body no parser read with INVALID_REQUEST', async () => {
      const body = 'plain words';

      const response = await fetch(`${baseUrl}/v1/things`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', ...signed('POST', '/v1/things', body) },
        body,
      });

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
    });

    it('serves public routes, controllers, health and metrics unsigned', async () => {
      const statuses = await Promise.all(
        ['/v1/things/open', '/docs', '/health/live', '/metrics'].map(
          async (path) => (await fetch(`${baseUrl}${path}`)).status,
        ),
      );

      expect(statuses).toEqual([200, 200, 200, 200]);
    });
  });

  describe('in an app created without rawBody', () => {
    let app: INestApplication;
    let baseUrl: string;

    beforeAll(async () => {
      ({ app, baseUrl } = await startApp({ rawBody: false }));
    });

    afterAll(async () => {
      await app.close();
    });

    it('fails as a server fault instead of blaming the signature', async () => {
      const body = '{"amount":1}';

      const response = await fetch(`${baseUrl}/v1/things`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signed('POST', '/v1/things', body) },
        body,
      });

      expect(response.status).toBe(500);
    });
  });
});
