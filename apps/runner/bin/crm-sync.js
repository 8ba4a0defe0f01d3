#!/usr/bin/env node
// The `crm-sync` command. This small file is committed so that `pnpm install` can link the command before
// anything is built (pnpm links a bin only if its file exists at install time); the CLI itself is in dist/.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    'crm-sync: the CLI is not built yet (no apps/runner/dist/cli.js).\nRun `pnpm build` at the repository root, then try again.\n',
  );
  process.exit(1);
}
await import(cli.href);
