import { Hono } from 'hono';
import type { ConsoleEnv } from '../console-env.js';
import type { PageOptions } from '../page-options.js';
import { runPage } from './run-page.js';
import { runsPage } from './runs-page.js';

/** How many runs the timeline shows, and how far back a run's page looks for its id. */
const shownRuns = 200;
const searchedRuns = 5000;
const modes: readonly string[] = ['full', 'incremental', 'targeted'];

/**
 * GET /runs (the timeline, `?mode=` to show one mode) and GET /runs/<id> (one run), from the state store
 * (https://hono.dev/docs/api/routing#path-parameter).
 */
export function runRoutes(options: PageOptions): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  app.get('/runs', async (context) => {
    const signedIn = context.get('signedIn');
    if (!signedIn) return context.redirect('/login', 303);
    const asked = context.req.query('mode') ?? '';
    const mode = modes.includes(asked) ? asked : null;
    const runs = await options.store.runs(mode === null ? shownRuns : searchedRuns);
    const shown = mode === null ? runs : runs.filter((run) => run.mode === mode).slice(0, shownRuns);
    return context.html(runsPage(signedIn, { runs: shown, mode, limit: shownRuns }));
  });
  app.get('/runs/:id', async (context) => {
    const signedIn = context.get('signedIn');
    if (!signedIn) return context.redirect('/login', 303);
    const runs = await options.store.runs(searchedRuns);
    const index = runs.findIndex((run) => run.id === context.req.param('id'));
    const run = runs[index];
    if (run === undefined) return context.notFound();
    return context.html(runPage(signedIn, run, index > 0));
  });
  return app;
}
