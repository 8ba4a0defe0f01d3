import type { Context } from 'hono';
import { Hono } from 'hono';
import { requireSignIn } from '../auth/require-sign-in.js';
import type { ConsoleEnv } from '../console-env.js';
import { refusalPage } from '../layout.js';
import type { PageOptions } from '../page-options.js';
import { backPath, inputFields } from './action-input.js';
import { type ActionKind, actionKinds } from './action-kinds.js';
import { actionPreviewPage, actionResultPage } from './action-pages.js';

type ConsoleContext = Context<ConsoleEnv>;

const statusOf = { done: 200, refused: 409, locked: 409, failed: 502 } as const;

/** 501 while the console runs without the service's engine (`consoleRoutes` without `service`). */
function withoutEngine(context: ConsoleContext) {
  return context.html(
    refusalPage(
      'Not available here',
      'Actions run through the sync engine, which this console was started without: use the console of `crm-sync serve`, or the CLI (`crm-sync retry`, `exclude`, `include`, `candidates`).',
      context.get('signedIn') ?? null,
    ),
    501,
  );
}

function actionOf(context: ConsoleContext): ActionKind | undefined {
  return actionKinds[context.req.param('kind') ?? ''];
}

const badInput = (context: ConsoleContext, message: string) =>
  context.html(
    refusalPage(
      'Cannot do that',
      `The form named no record this can act on: ${message}.`,
      context.get('signedIn') ?? null,
    ),
    400,
  );

/**
 * GET /actions/<kind>?… says what an action will do (nothing written); POST /actions/<kind> does it, audited by the
 * engine under the signed-in operator's name. Operators only, posts with the session's CSRF token
 * (https://hono.dev/docs/api/routing#path-parameter).
 */
export function actionRoutes(options: PageOptions): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  app.use('/actions/*', requireSignIn('operator'));
  app.get('/actions/:kind', async (context) => {
    const action = actionOf(context);
    const signedIn = context.get('signedIn');
    if (action === undefined || !signedIn) return context.notFound();
    const engine = options.service?.engine;
    if (engine === undefined) return withoutEngine(context);
    const query = context.req.query();
    const input = action.input(query);
    if (typeof input === 'string') return badInput(context, input);
    const preview = await action.preview(engine, input, true);
    const kind = { kind: context.req.param('kind'), label: action.label };
    return context.html(actionPreviewPage(signedIn, kind, preview, inputFields(input), backPath(query)));
  });
  app.post('/actions/:kind', async (context) => {
    const action = actionOf(context);
    const signedIn = context.get('signedIn');
    if (action === undefined || !signedIn) return context.notFound();
    const engine = options.service?.engine;
    if (engine === undefined) return withoutEngine(context);
    const form = await context.req.parseBody();
    const input = action.input(form);
    if (typeof input === 'string') return badInput(context, input);
    const result = await action.run(engine, signedIn.userName, input);
    return context.html(
      actionResultPage(signedIn, action.label, result, backPath(form)),
      statusOf[result.kind],
    );
  });
  return app;
}
