import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ConfigSources } from './config.js';

/** The real environment and file system: secret files are created owner-only and never overwritten. */
export function nodeConfigSources(env: NodeJS.ProcessEnv = process.env): ConfigSources {
  return {
    env,
    readFile: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
    writeSecretFile: (path, content) => {
      mkdirSync(dirname(path), { recursive: true });
      try {
        writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        // Another process created it first: its key is the one (the loader reads the file back).
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    },
    randomKey: () => randomBytes(32).toString('base64url'),
  };
}
