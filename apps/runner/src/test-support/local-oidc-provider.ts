import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Provider } from 'oidc-provider';

// A real OpenID Connect provider for the console's single sign-on tests: oidc-provider v9
// (https://github.com/panva/node-oidc-provider, OpenID Certified), on 127.0.0.1 at a free port. Its development
// login and consent forms (features.devInteractions, on by default) take any password; who signs in is the login
// typed, and their claims are the test users' below.

/** The test users, by login: their ID token claims (Entra ID's shapes: app roles in `roles`). */
export const localOidcUsers = {
  /** An operator by claim. */
  'olga.sso': {
    email: 'Olga.Operator@example.com',
    name: 'Olga Operator',
    preferred_username: 'olga.operator@example.com',
    roles: ['crm-sync.operator', 'someone-elses.role'],
  },
  /** Signs in at the provider, but holds no role the console grants. */
  'nils.norole': { email: 'nils@example.com', name: 'Nils Norole', roles: ['someone-elses.role'] },
  /** A viewer by claim. */
  'vera.sso': { email: 'vera@example.com', name: 'Vera Viewer', roles: ['crm-sync.viewer'] },
} as const satisfies Record<string, Readonly<Record<string, unknown>>>;

export interface LocalOidcClient {
  readonly id: string;
  readonly secret: string;
  readonly redirectUri: string;
}

export interface LocalOidcProvider {
  /** `http://127.0.0.1:<port>`: the issuer identifier, and its origin. */
  readonly issuer: string;
  /** The console's registration. */
  readonly client: LocalOidcClient;
  /** Another application's registration at the same provider (for ID tokens the console must not take). */
  readonly otherClient: LocalOidcClient;
  close(): Promise<void>;
}

const registration = (client: LocalOidcClient) => ({
  client_id: client.id,
  client_secret: client.secret,
  redirect_uris: [client.redirectUri],
  response_types: ['code'],
  grant_types: ['authorization_code'],
  // openid-client's default for a client with a secret.
  token_endpoint_auth_method: 'client_secret_post',
});

/** A signing key made for this provider, so it does not warn about its development keys. */
function signingKey(): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: 'local-test-key', use: 'sig', alg: 'RS256' };
}

function listening(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * Starts the provider with the console registered at `redirectUri` (and `users`' claims in its ID tokens). The
 * port is taken first, since the issuer identifier names it (https://github.com/panva/node-oidc-provider#quick-start).
 */
export async function startLocalOidcProvider(
  redirectUri: string,
  users: Readonly<Record<string, Readonly<Record<string, unknown>>>> = localOidcUsers,
): Promise<LocalOidcProvider> {
  const server = createServer();
  const issuer = `http://127.0.0.1:${await listening(server)}`;
  const client = { id: 'crm-sync-console', secret: randomBytes(24).toString('base64url'), redirectUri };
  const otherClient = {
    id: 'another-application',
    secret: randomBytes(24).toString('base64url'),
    redirectUri: 'http://another-application.localhost/callback',
  };
  // Configuration: https://github.com/panva/node-oidc-provider/blob/main/docs/README.md#configuration-options
  const provider = new Provider(issuer, {
    clients: [registration(client), registration(otherClient)],
    async findAccount(_context, id) {
      const claims = users[id];
      return claims === undefined ? undefined : { accountId: id, claims: () => ({ sub: id, ...claims }) };
    },
    // Entra ID puts the roles, name and email in the ID token itself; so does this provider.
    claims: { openid: ['sub', 'roles'], email: ['email'], profile: ['name', 'preferred_username'] },
    conformIdTokenClaims: false,
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    jwks: { keys: [signingKey()] },
    pkce: { required: () => true },
    // Lifetimes in seconds, set so the provider does not call its defaults out on every sign-in.
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 3600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
    },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    client,
    otherClient,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
