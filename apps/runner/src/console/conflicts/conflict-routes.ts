import type { Context } from 'hono';
import { Hono } from 'hono';
import type { ActionDependencies } from '../../engine/actions/action-types.js';
import {
  previewConflictAction,
  resolveConflictAction,
} from '../../engine/actions/resolve-conflict-action.js';
import type { ConflictChoice } from '../../engine/resolve-conflict.js';
import { actionResultPage } from '../actions/action-pages.js';
import { requireSignIn } from '../auth/require-sign-in.js';
import type { ConsoleEnv } from '../console-env.js';
import { refusalPage } from '../layout.js';
import type { PageOptions } from '../page-options.js';
import { conflictsPage } from './conflicts-page.js';
import { resolvePreviewPage } from './resolve-pages.js';

type ConsoleContext = Context<ConsoleEnv>;
type Fields = Readonly<Record<string, unknown>>;

/** The choice a form made: `take=crm|erp` for a field, `link=<associateNo>` for a HubSpot merge. */
function choiceOf(fields: Fields): ConflictChoice | null {
  if (fields.take === 'crm' || fields.take === 'erp') return { take: fields.take };
  const link = typeof fields.link === 'string' ? Number(fields.link.trim()) : Number.NaN;
  return Number.isInteger(link) && link > 0 ? { link } : null;
}

async function refuse(context: ConsoleContext, title: string, message: string, status: 400 | 501) {
  return await context.html(refusalPage(title, message, context.get('signedIn') ?? null), status);
}

/** The engine and the choice a resolve request needs, or the refusal page to answer. */
async function resolving(
  context: ConsoleContext,
  engine: ActionDependencies | undefined,
  fields: Fields,
): Promise<Response | { engine: ActionDependencies; choice: ConflictChoice }> {
  if (engine === undefined)
    return refuse(
      context,
      'Not available here',
      'Resolving runs through the sync engine, which this console was started without: use the console of `crm-sync serve`, or `crm-sync conflicts resolve`.',
      501,
    );
  const choice = choiceOf(fields);
  if (choice === null)
    return refuse(
      context,
      'Choose a side',
      'Say which value wins (take=crm for HubSpot’s, take=erp for Business NXT’s), or for a HubSpot merge which Business NXT record to keep (link=<associate number>).',
      400,
    );
  return { engine, choice };
}

const recentlyResolved = 20;
const statusOf = { done: 200, refused: 409, locked: 409, failed: 502 } as const;

/**
 * GET /conflicts (everyone signed in); GET /conflicts/<id>/resolve?take=crm|erp (or link=<associateNo>) says what
 * resolving writes, read now (engine/actions/resolve-conflict-action.ts); POST /conflicts/<id>/resolve writes it,
 * audited under the operator's name (operators only, with the session's CSRF token;
 * https://hono.dev/docs/api/routing#path-parameter).
 */
export function conflictRoutes(options: PageOptions): Hono<ConsoleEnv> {
  const { store } = options;
  const app = new Hono<ConsoleEnv>();
  app.get('/conflicts', async (context) => {
    const signedIn = context.get('signedIn');
    if (!signedIn) return context.redirect('/login', 303);
    const all = await store.conflicts('all');
    const resolved = all.filter((conflict) => conflict.status === 'resolved').reverse();
    const open = all.filter((conflict) => conflict.status === 'open');
    const portalId = (await store.binding())?.hubspotPortalId ?? null;
    return context.html(
      conflictsPage(signedIn, { open, resolved: resolved.slice(0, recentlyResolved), portalId }),
    );
  });
  app.use('/conflicts/:id/resolve', requireSignIn('operator'));
  app.get('/conflicts/:id/resolve', async (context) => {
    const signedIn = context.get('signedIn');
    const ready = await resolving(context, options.service?.engine, context.req.query());
    if (ready instanceof Response || !signedIn)
      return ready instanceof Response ? ready : context.redirect('/login', 303);
    const id = context.req.param('id');
    const preview = await previewConflictAction(ready.engine, id, ready.choice, true);
    return context.html(
      resolvePreviewPage(signedIn, id, ready.choice, preview),
      preview.refusal === undefined ? 200 : 409,
    );
  });
  app.post('/conflicts/:id/resolve', async (context) => {
    const signedIn = context.get('signedIn');
    const form = await context.req.parseBody();
    const ready = await resolving(context, options.service?.engine, form);
    if (ready instanceof Response || !signedIn)
      return ready instanceof Response ? ready : context.redirect('/login', 303);
    const key = typeof form.key === 'string' ? form.key : '';
    const result = await resolveConflictAction(
      ready.engine,
      signedIn.userName,
      context.req.param('id'),
      ready.choice,
      key,
    );
    return context.html(
      actionResultPage(signedIn, 'Resolve a conflict', result, '/conflicts'),
      statusOf[result.kind],
    );
  });
  return app;
}
