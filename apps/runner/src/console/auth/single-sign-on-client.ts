import * as openid from 'openid-client';
import type { SignInFlow } from './sign-in-flow-cookie.js';
import type { SingleSignOnSettings } from './single-sign-on-settings.js';

/** The ID token's claims, checked: issuer, audience, expiry, signature and nonce. */
export type IdTokenClaims = Readonly<Record<string, unknown>>;

export interface SingleSignOnClient {
  /** A new flow and the provider's authorization URL to send the browser to. */
  start(): Promise<{ flow: SignInFlow; authorizationUrl: URL }>;
  /** Redeems the code the provider sent back (`search`: the callback's query) for a checked ID token. */
  finish(search: string, flow: SignInFlow): Promise<IdTokenClaims>;
}

/** How long a failed discovery is remembered, so that anonymous clicks do not each call the provider. */
const retryDiscoveryAfterMs = 10_000;
const loopbackIssuer = /^http:\/\/(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?(?:\/|$)/u;

/**
 * The console's OpenID Connect relying party, through openid-client v6 (https://github.com/panva/openid-client): the
 * authorization code flow with PKCE, state and nonce, as in its example
 * https://github.com/panva/openid-client/blob/main/examples/oidc.ts. The provider's metadata is discovered on the
 * first sign-in, not at start, so a provider that is down never stops the sync service; a failure is retried after
 * ten seconds. `fetch` replaces the HTTP client (tests).
 */
export function createSingleSignOnClient(
  settings: SingleSignOnSettings,
  fetch?: openid.CustomFetch,
): SingleSignOnClient {
  let discovered: Promise<openid.Configuration> | null = null;
  const configuration = (): Promise<openid.Configuration> => {
    if (discovered !== null) return discovered;
    const attempt = discover(settings, fetch);
    discovered = attempt;
    attempt.catch(() => {
      setTimeout(() => {
        if (discovered === attempt) discovered = null;
      }, retryDiscoveryAfterMs).unref();
    });
    return attempt;
  };
  return {
    async start() {
      const config = await configuration();
      const flow: SignInFlow = {
        state: openid.randomState(),
        nonce: openid.randomNonce(),
        codeVerifier: openid.randomPKCECodeVerifier(),
      };
      // https://github.com/panva/openid-client/blob/main/docs/functions/buildAuthorizationUrl.md
      const authorizationUrl = openid.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: 'openid profile email',
        code_challenge: await openid.calculatePKCECodeChallenge(flow.codeVerifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
      });
      return { flow, authorizationUrl };
    },
    async finish(search, flow) {
      const config = await configuration();
      // The URL the provider called, as it knows it (behind the proxy the request's own URL is the local one):
      // openid-client takes the token request's redirect_uri from it.
      const currentUrl = new URL(settings.redirectUri);
      currentUrl.search = search;
      // Checks state, then the ID token's signature, issuer, audience, expiry and nonce:
      // https://github.com/panva/openid-client/blob/main/docs/functions/authorizationCodeGrant.md and
      // https://github.com/panva/openid-client/blob/main/docs/interfaces/AuthorizationCodeGrantChecks.md
      const tokens = await openid.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (claims === undefined) throw new Error('the provider answered without an ID token');
      return claims;
    },
  };
}

/**
 * Discovery from the issuer identifier, which openid-client then checks the metadata's `issuer` against
 * (https://github.com/panva/openid-client/blob/main/docs/functions/discovery.md). The client secret is sent in the
 * token request's body (client_secret_post, openid-client's default for a secret). Plain http is allowed only for
 * an issuer on this machine (https://github.com/panva/openid-client/blob/main/docs/functions/allowInsecureRequests.md);
 * the settings refuse it elsewhere.
 */
function discover(settings: SingleSignOnSettings, fetch?: openid.CustomFetch): Promise<openid.Configuration> {
  const execute = loopbackIssuer.test(settings.issuer) ? [openid.allowInsecureRequests] : [];
  return openid.discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, {
    execute,
    ...(fetch === undefined ? {} : { [openid.customFetch]: fetch }),
  });
}
