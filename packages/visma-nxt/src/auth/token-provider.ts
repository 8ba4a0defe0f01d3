import type { KyInstance } from 'ky';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { z } from 'zod';
import type { VismaNxtError } from '../errors.js';
import { toTransportError } from '../transport/transport-error.js';

/** The scope of a Business NXT service integration. https://docs.vismasoftware.no/businessnxtapi/authentication/service/integrations_service */
export const serviceScope = 'business-graphql-service-api:access-group-based';

const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().nullish(),
  expires_in: z.number().positive(),
});
const oauthError = z.object({ error: z.string(), error_description: z.string().nullish() });

export interface TokenProviderOptions {
  readonly http: KyInstance;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope: string;
  /**
   * Visma Connect tenant (`tenant_id`, documented for Visma Net API service integrations:
   * https://docs.vismasoftware.no/vismanetapi/developer-portal/service-integrations); optional, whether Business NXT
   * uses it is UNCONFIRMED.
   */
  readonly tenantId?: string | undefined;
  readonly now: () => number;
}

export interface TokenProvider {
  /** A valid access token, fetched once and shared by concurrent callers, renewed shortly before it expires. */
  token(): ResultAsync<string, VismaNxtError>;
  /** Forget a token the API refused (a 401), so the next call fetches a new one. */
  invalidate(token: string): void;
}

// Renew a minute early, so a token never expires between being handed out and reaching Business NXT.
const renewEarlyMs = 60_000;

/**
 * Visma Connect client credentials: `POST /connect/token` with a form body.
 * https://docs.vismasoftware.no/businessnxtapi/authentication/service/examples/insomnia/
 */
export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  let cached: { token: string; expiresAt: number } | null = null;
  let inFlight: ResultAsync<string, VismaNxtError> | null = null;

  const fetchToken = (): ResultAsync<string, VismaNxtError> => {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: options.clientId,
      client_secret: options.clientSecret,
      scope: options.scope,
    });
    if (options.tenantId) body.set('tenant_id', options.tenantId);
    return ResultAsync.fromPromise(
      options.http.post(options.tokenUrl, { body, throwHttpErrors: false, retry: 0 }),
      (cause) => toTransportError(cause, 'Visma Connect token endpoint'),
    ).andThen((response) =>
      ResultAsync.fromPromise(response.text(), (cause) =>
        toTransportError(cause, 'Visma Connect token endpoint'),
      ).andThen((text): ResultAsync<string, VismaNxtError> => {
        const json = safeJson(text);
        if (!response.ok) {
          const parsed = oauthError.safeParse(json);
          const code = parsed.success ? parsed.data.error : null;
          return errAsync({
            kind: 'auth',
            message: `Visma Connect refused the client credentials (HTTP ${response.status}${code ? `, ${code}` : ''}): check VISMA_CLIENT_ID, VISMA_CLIENT_SECRET and the integration's scope`,
            status: response.status,
            oauthError: code,
            retryable: false,
          });
        }
        const parsed = tokenResponse.safeParse(json);
        if (!parsed.success) {
          return errAsync({
            kind: 'validation',
            message: 'Visma Connect answered the token request with an unexpected body',
            issues: parsed.error.issues.map(
              (issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`,
            ),
            retryable: false,
          });
        }
        cached = {
          token: parsed.data.access_token,
          expiresAt: options.now() + parsed.data.expires_in * 1000,
        };
        return okAsync(parsed.data.access_token);
      }),
    );
  };

  return {
    token() {
      if (cached !== null && options.now() < cached.expiresAt - renewEarlyMs) return okAsync(cached.token);
      if (inFlight === null) {
        const request = fetchToken();
        inFlight = request;
        void request.then(() => {
          inFlight = null;
        });
      }
      return inFlight;
    },
    invalidate(token) {
      if (cached?.token === token) cached = null;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
