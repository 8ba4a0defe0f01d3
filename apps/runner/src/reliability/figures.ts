import { readFileSync, writeFileSync } from 'node:fs';

/**
 * A reliability suite's one-line figure summary: printed always, and written into its row of
 * docs/RELIABILITY.md when `RELIABILITY_DOC` names that file (`pnpm reliability` does), so the page only ever
 * holds figures a run produced.
 */
export function recordFigure(suite: string, line: string): void {
  process.stdout.write(`[reliability] ${suite}: ${line}\n`);
  const path = process.env.RELIABILITY_DOC;
  if (!path) return;
  const start = `<!-- ${suite}:start -->`;
  const end = `<!-- ${suite}:end -->`;
  const text = readFileSync(path, 'utf8');
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${path} has no ${start} … ${end} section`);
  const stamp = new Date().toISOString().slice(0, 10);
  writeFileSync(
    path,
    `${text.slice(0, from + start.length)}\n${line} (${stamp}, Node ${process.version})\n${text.slice(to)}`,
  );
}
