import { Hono } from 'hono';
import { readStatus } from '../../commands/status.js';
import type { ConsoleEnv } from '../console-env.js';
import type { PageOptions } from '../page-options.js';
import { attentionPage } from './attention-page.js';
import { heldRows } from './held-rows.js';

/**
 * GET /attention: the held records (`crm-sync status` reads the same), from the state store only
 * (https://hono.dev/docs/api/routing).
 */
export function attentionRoutes(options: PageOptions): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  app.get('/attention', async (context) => {
    const signedIn = context.get('signedIn');
    if (!signedIn) return context.redirect('/login', 303);
    const { store } = options;
    const status = await readStatus(store);
    const binding = await store.binding();
    return context.html(
      attentionPage(signedIn, {
        groups: await heldRows(store, status.held),
        portalId: binding?.hubspotPortalId ?? null,
      }),
    );
  });
  return app;
}
