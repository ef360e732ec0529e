import { keycloakAdminToken, localIssuerUrl } from '@pitboss/testing';

/**
 * Makes the running Keycloak's realm hold `scope` as an optional scope of `clientId`, as
 * tools/stack/keycloak/pitboss-realm.json declares it: a Keycloak started before the scope was added keeps its
 * imported realm (start-dev imports a realm only once). Idempotent; for tests only.
 */
export async function ensureRealmScope(scope: string, clientId: string): Promise<void> {
  const admin = `${localIssuerUrl().replace('/realms/', '/admin/realms/')}`;
  const headers = {
    authorization: `Bearer ${await keycloakAdminToken()}`,
    'content-type': 'application/json',
  };
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${admin}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status >= 300 && response.status !== 409)
      throw new Error(`Keycloak ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 200 ? ((await response.json()) as unknown) : undefined;
  };
  const findScope = async () =>
    ((await call('GET', '/client-scopes')) as { id: string; name: string }[]).find((s) => s.name === scope);
  if (!(await findScope()))
    await call('POST', '/client-scopes', {
      name: scope,
      protocol: 'openid-connect',
      attributes: { 'include.in.token.scope': 'true', 'display.on.consent.screen': 'false' },
    });
  const scopeId = (await findScope())!.id;
  const [client] = (await call('GET', `/clients?clientId=${encodeURIComponent(clientId)}`)) as {
    id: string;
  }[];
  await call('PUT', `/clients/${client!.id}/optional-client-scopes/${scopeId}`);
}
