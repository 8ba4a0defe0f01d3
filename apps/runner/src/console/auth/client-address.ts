import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

const loopback = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/u;

/**
 * The address a request came from, for the per-address sign-in limit. A peer on loopback is taken to be the
 * reverse proxy on the same host (docs/OPERATION.md, "Exposing the webhook endpoints"): then the last entry of
 * `X-Forwarded-For` is the client, the one nginx's `$proxy_add_x_forwarded_for` appended
 * (https://nginx.org/en/docs/http/ngx_http_proxy_module.html#var_proxy_add_x_forwarded_for); earlier entries are the
 * client's own word and are ignored. A proxy on another host shows as one address for everyone behind it: inject
 * another `clientAddress` into the console for that. `unknown` when there is no socket (tests call the app directly).
 * https://github.com/honojs/node-server#conninfo
 */
export function clientAddress(context: Context): string {
  let peer: string | undefined;
  try {
    peer = getConnInfo(context).remote.address;
  } catch {
    peer = undefined;
  }
  if (peer === undefined) return 'unknown';
  const forwarded = context.req.header('x-forwarded-for');
  if (forwarded === undefined || !loopback.test(peer)) return peer;
  const last = forwarded.split(',').at(-1)?.trim();
  return last === undefined || last === '' ? peer : last;
}
