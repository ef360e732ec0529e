/**
 * Access tokens from the local stack's real Keycloak (`npm run stack:up`, realm `pitboss`), by the OAuth2 client
 * credentials grant, for tests of bearer-token routes. Secrets are the realm file's local ones
 * (`local-dev-only-<clientId>`, tools/stack/keycloak/pitboss-realm.json): never valid anywhere else.
 */

const DEFAULT_PORT = 8180;

/** The local realm's issuer (`KEYCLOAK_PORT`, 8180): what `AUTH_ISSUER_URL` defaults to. */
export function localIssuerUrl(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return `http://127.0.0.1:${env['KEYCLOAK_PORT'] ?? DEFAULT_PORT}/realms/pitboss`;
}

export interface IssueTokenOptions {
  /** Space-separated scopes to ask for (only the client's optional scopes are granted; others fail the grant). */
  readonly scope?: string;
  readonly issuerUrl?: string;
}

/** A fresh access token of `clientId`; throws with Keycloak's answer when the grant is refused. */
export async function issueToken(clientId: string, options: IssueTokenOptions = {}): Promise<string> {
  const issuer = options.issuerUrl ?? localIssuerUrl();
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: `local-dev-only-${clientId}`,
  });
  if (options.scope !== undefined) form.set('scope', options.scope);
  const response = await fetch(`${issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`Keycloak refused a token for ${clientId} (${response.status}): ${text}`);
  }
  return (JSON.parse(text) as { access_token: string }).access_token;
}

/** A token of the master realm's bootstrap admin (KEYCLOAK_ADMIN_USER/PASSWORD, local defaults) for admin calls. */
export async function keycloakAdminToken(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<string> {
  const base = localIssuerUrl(env).replace(/\/realms\/pitboss$/, '');
  const response = await fetch(`${base}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'admin-cli',
      username: env['KEYCLOAK_ADMIN_USER'] ?? 'admin',
      password: env['KEYCLOAK_ADMIN_PASSWORD'] ?? 'local-dev-only-admin',
    }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`Keycloak refused the admin login (${response.status}): ${text}`);
  return (JSON.parse(text) as { access_token: string }).access_token;
}
