#!/usr/bin/env node
// The `crm-simulators` command. This small file is committed so that `pnpm install` can link the command before
// anything is built (pnpm links a bin only if its file exists at install time); the simulators are in dist/.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    'crm-simulators: the simulators are not built yet (no packages/simulators/dist/cli.js).\nRun `pnpm build` at the repository root, then try again.\n',
  );
  process.exit(1);
}
await import(cli.href);
