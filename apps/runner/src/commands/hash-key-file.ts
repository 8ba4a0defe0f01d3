import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writing the fingerprint key to the file `state copy --hash-key-file` names, once the copy is verified. */
export interface KeyFileWrite {
  /** Creates the file, owner-only (a file holding the same key already is left as it is). */
  run(): void;
  /** Removes what `run` created (the copy did not commit). */
  undo(): void;
}

/**
 * Checks, before anything is copied, that the key can go to `path`: a file that exists is never overwritten, so it
 * must hold this key already. Answers how to write it, or why not.
 */
export function prepareKeyFile(
  path: string,
  key: string,
): { ok: true; write: KeyFileWrite } | { ok: false; problem: string } {
  let existing: string | undefined;
  try {
    existing = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      return { ok: false, problem: `--hash-key-file ${path}: cannot check it (${(error as Error).message})` };
  }
  if (existing !== undefined && existing.trim() !== key)
    return {
      ok: false,
      problem: `--hash-key-file ${path} exists and holds something else: refusing to overwrite it; name a file that does not exist yet`,
    };
  let created = false;
  return {
    ok: true,
    write: {
      run() {
        if (existing !== undefined) return;
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        // `wx`: fails rather than overwrite a file created since the check.
        writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
        created = true;
      },
      undo() {
        if (created) rmSync(path, { force: true });
      },
    },
  };
}
