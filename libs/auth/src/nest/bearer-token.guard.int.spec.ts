import {
  type ArgumentsHost,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  type INestApplication,
  Module,
  Param,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type Response } from 'express';

import { errorBodyOf, PitbossError } from '@pitboss/contracts';
import { issueToken, keycloakAdminToken, localIssuerUrl } from '@pitboss/testing';

import { authConfigFromEnv } from '../auth-config';
import { type Principal } from '../principal';
import { TokenVerifier } from '../token-verifier';
import { ActsOnTenant, CurrentPrincipal, RequireScopes } from './auth.decorators';
import { AuthModule } from './auth.module';

/** Real tokens from the stack's Keycloak (realm pitboss) against a small app guarded like the services' routes. */
@Controller('v1/tenants/:tenantId/promos')
@ActsOnTenant({ param: 'tenantId' })
class PromosController {
  @Get()
  @RequireScopes('promo:issue')
  list(@Param('tenantId') tenantId: string, @CurrentPrincipal() principal: Principal) {
    return { tenantId, principal };
  }
}

@Catch()
class CatalogueErrors implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const error =
      exception instanceof PitbossError ? exception : new PitbossError('INTERNAL_ERROR', String(exception));
    host.switchToHttp().getResponse<Response>().status(error.definition.httpStatus).json(errorBodyOf(error));
  }
}

@Module({ imports: [AuthModule.forRoot()], controllers: [PromosController] })
class GuardedApp {}

describe('BearerTokenGuard with Keycloak tokens', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    app = await NestFactory.create(GuardedApp, { logger: false });
    app.useGlobalFilters(new CatalogueErrors());
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(() => app.close());

  async function call(tenant: string, token?: string) {
    const response = await fetch(`${url}/v1/tenants/${tenant}/promos`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  it('Given a brand token with the scope, When it calls its own tenant, Then 200 with the principal bound', async () => {
    const sut = await call('brand-a', await issueToken('brand-a-ops-1', { scope: 'promo:issue' }));

    expect(sut.status).toBe(200);
    expect(sut.body).toMatchObject({
      tenantId: 'brand-a',
      principal: { clientId: 'brand-a-ops-1', tenantId: 'brand-a', region: 'local', scopes: ['promo:issue'] },
    });
  });

  it('Given an EU brand token, Then its region is the realm\'s "eu"', async () => {
    const sut = await call('brand-eu', await issueToken('brand-eu-ops-1', { scope: 'promo:issue' }));

    expect([sut.status, sut.body.principal?.region]).toEqual([200, 'eu']);
  });

  it('Given no token, or a header that is not a bearer JWT, Then 401 UNAUTHENTICATED', async () => {
    const none = await call('brand-a');
    const garbage = await call('brand-a', 'not.a.jwt');

    expect([none.status, none.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect([garbage.status, garbage.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('Given a token for another audience (brand-a-reports), Then 401 UNAUTHENTICATED naming the aud claim', async () => {
    const sut = await call('brand-a', await issueToken('brand-a-reports', { scope: 'promo:issue' }));

    expect([sut.status, sut.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(sut.body.error.message).toContain('"aud"');
  });

  it('Given a token past its 3 s lifetime and the 5 s tolerance, Then 401 TOKEN_EXPIRED', async () => {
    const token = await issueToken('brand-a-short-lived', { scope: 'promo:issue' });
    expect((await call('brand-a', token)).status).toBe(200);

    await new Promise((resolve) =>
      setTimeout(resolve, 3_000 + authConfigFromEnv().clockToleranceSeconds * 1000 + 1_500),
    );
    const sut = await call('brand-a', token);

    expect([sut.status, sut.body.error.code]).toEqual([401, 'TOKEN_EXPIRED']);
  }, 20_000);

  it("Given a token without the route's scope, Then 403 INSUFFICIENT_SCOPE naming it", async () => {
    const sut = await call('brand-a', await issueToken('brand-a-ops-1', { scope: 'promo:approve' }));

    expect([sut.status, sut.body.error.code, sut.body.error.scope]).toEqual([
      403,
      'INSUFFICIENT_SCOPE',
      'promo:issue',
    ]);
  });

  it("Given brand A's token on brand B's route, or the platform's token on a brand route, Then 403 TENANT_MISMATCH", async () => {
    const otherBrand = await call('brand-b', await issueToken('brand-a-ops-1', { scope: 'promo:issue' }));
    const platform = await call('brand-a', await issueToken('platform-ops-1', { scope: 'promo:issue' }));

    expect([otherBrand.status, otherBrand.body.error.code]).toEqual([403, 'TENANT_MISMATCH']);
    expect([platform.status, platform.body.error.code]).toEqual([403, 'TENANT_MISMATCH']);
  });
});

describe('TokenVerifier when Keycloak rotates its signing key', () => {
  const realmAdmin = `${localIssuerUrl().replace('/realms/pitboss', '')}/admin/realms/pitboss`;
  let adminToken: string;
  let componentId: string | undefined;

  beforeAll(async () => {
    adminToken = await keycloakAdminToken();
  });

  afterAll(async () => {
    if (componentId === undefined) return;
    await fetch(`${realmAdmin}/components/${componentId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${adminToken}` },
    });
  });

  async function addActiveKey(): Promise<string> {
    const realm = (await (
      await fetch(realmAdmin, { headers: { authorization: `Bearer ${adminToken}` } })
    ).json()) as { id: string };
    const created = await fetch(`${realmAdmin}/components`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: `rotation-test-${Date.now()}`,
        providerId: 'rsa-generated',
        providerType: 'org.keycloak.keys.KeyProvider',
        parentId: realm.id,
        // Above the realm's own key (priority 100), so new tokens are signed with it.
        config: {
          priority: ['1000'],
          keySize: ['2048'],
          active: ['true'],
          enabled: ['true'],
          algorithm: ['RS256'],
        },
      }),
    });
    expect(created.status).toBe(201);
    return created.headers.get('location')!.split('/').pop()!;
  }

  const kidOf = (token: string): string =>
    (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;

  it("refuses the new key's tokens inside the refetch cooldown, then fetches the JWKS again and accepts them", async () => {
    const sut = new TokenVerifier(authConfigFromEnv());
    const before = await issueToken('brand-a-ops-1');
    await sut.verify(before);
    const cached = Date.now();

    componentId = await addActiveKey();
    const after = await issueToken('brand-a-ops-1');
    expect(kidOf(after)).not.toBe(kidOf(before));

    // Refetches on an unknown kid are rate-limited (JWKS_CACHE.cooldownDuration, 30 s) so bad tokens cannot flood Keycloak.
    await expect(sut.verify(after)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, cached + 31_000 - Date.now())));

    await expect(sut.verify(after)).resolves.toMatchObject({
      clientId: 'brand-a-ops-1',
      tenantId: 'brand-a',
    });
    await expect(sut.verify(before)).resolves.toMatchObject({ clientId: 'brand-a-ops-1' });
  }, 60_000);
});
