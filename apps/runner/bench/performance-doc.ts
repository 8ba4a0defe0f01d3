import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const doc = fileURLToPath(new URL('../../../docs/PERFORMANCE.md', import.meta.url));

/**
 * Replaces what stands between `<!-- {name}:start -->` and `<!-- {name}:end -->` in docs/PERFORMANCE.md with
 * `markdown`; throws naming the markers when the document lacks them (a section the bench cannot write is lost).
 */
export function writePerformanceSection(name: string, markdown: string): void {
  const text = readFileSync(doc, 'utf8');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from)
    throw new Error(`docs/PERFORMANCE.md: the markers ${start} and ${end} are missing or out of order`);
  writeFileSync(doc, `${text.slice(0, from + start.length)}\n${markdown}\n${text.slice(to)}`);
}
