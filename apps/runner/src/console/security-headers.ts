import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { styleSource } from './layout.js';

/**
 * Headers for every console answer (https://hono.dev/docs/middleware/builtin/secure-headers): a Content-Security-Policy
 * allowing only this origin and the console's own inline style sheet, no framing (`frame-ancestors 'none'`,
 * `X-Frame-Options: DENY`), forms posting only here, no referrer to other sites, and `Cache-Control: no-store` (pages
 * show personal data to operators; https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Cache-Control).
 * The referrer policy is `same-origin`, not `no-referrer`: under `no-referrer` browsers send `Origin: null` on the
 * console's own form posts (https://fetch.spec.whatwg.org/#serializing-a-request-origin), which the origin check
 * then cannot tell from a forgery.
 */
export function consoleSecurityHeaders(): MiddlewareHandler {
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      styleSrc: [styleSource],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'same-origin',
  });
  return async (context, next) => {
    await headers(context, async () => {
      await next();
      context.header('Cache-Control', 'no-store');
    });
  };
}
