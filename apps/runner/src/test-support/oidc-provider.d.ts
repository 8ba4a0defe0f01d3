// The little of oidc-provider v9 (https://github.com/panva/node-oidc-provider/blob/main/docs/README.md) the tests'
// local OpenID Connect provider uses: the package ships no types, and @types/oidc-provider is not installed.
declare module 'oidc-provider' {
  export interface Account {
    readonly accountId: string;
    claims(): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export interface ProviderConfiguration {
    readonly clients?: ReadonlyArray<Record<string, unknown>>;
    readonly findAccount?: (context: unknown, id: string) => Promise<Account | undefined>;
    readonly claims?: Readonly<Record<string, readonly string[]>>;
    readonly conformIdTokenClaims?: boolean;
    readonly cookies?: { readonly keys: readonly string[] };
    readonly jwks?: { readonly keys: ReadonlyArray<Record<string, unknown>> };
    readonly pkce?: { readonly required: () => boolean };
    readonly ttl?: Readonly<Record<string, number>>;
    readonly features?: Readonly<Record<string, { readonly enabled: boolean }>>;
  }

  /** A Koa application (https://koajs.com/#app-callback). */
  export class Provider {
    constructor(issuer: string, configuration?: ProviderConfiguration);
    callback(): (
      request: import('node:http').IncomingMessage,
      response: import('node:http').ServerResponse,
    ) => void;
  }
}
