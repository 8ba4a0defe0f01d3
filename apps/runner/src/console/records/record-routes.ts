import { Hono } from 'hono';
import { recordInput } from '../actions/action-input.js';
import type { ConsoleEnv } from '../console-env.js';
import { refusalPage } from '../layout.js';
import type { PageOptions } from '../page-options.js';
import { recordDetails } from './record-details.js';
import { recordPage } from './record-page.js';
import { searchRecords } from './record-search.js';
import { recordSearchPage } from './record-search-page.js';

/**
 * GET /records?q= (search by the ids the state keeps) and GET /records/<entity>/<system>/<id> (one record)
 * (https://hono.dev/docs/api/request#query, https://hono.dev/docs/api/routing#path-parameter).
 */
export function recordRoutes(options: PageOptions): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  app.get('/records', async (context) => {
    const signedIn = context.get('signedIn');
    if (!signedIn) return context.redirect('/login', 303);
    const query = (context.req.query('q') ?? '').trim().slice(0, 200);
    const found = query === '' ? [] : await searchRecords(options.store, query);
    const [only] = found;
    if (only !== undefined && found.length === 1)
      return context.redirect(`/records/${only.ref.entity}/${only.ref.system}/${only.ref.id}`, 303);
    return context.html(recordSearchPage(signedIn, query, found));
  });
  app.get('/records/:entity/:system/:id', async (context) => {
    const signedIn = context.get('signedIn');
    if (!signedIn) return context.redirect('/login', 303);
    const input = recordInput(context.req.param());
    if (typeof input === 'string' || input.kind !== 'record')
      return context.html(
        refusalPage('No such record', `Cannot show that record: ${String(input)}.`, signedIn),
        404,
      );
    return context.html(recordPage(signedIn, await recordDetails(options.store, input.ref)));
  });
  return app;
}
