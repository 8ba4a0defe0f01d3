import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createVismaNxtClient } from './index.js';

// The declared surface: README.md names every method of the client, every runtime export and every exported type,
// and no exported name is also exported by @port-service/hubspot (the runner imports both).
const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
const mentions = (name: string) => readme.includes(`${name}(`) || readme.includes(`\`${name}\``);

/** The names an index.ts exports, types and runtime values apart (`export { a, b as c } from …`). */
function exportedNames(path: string): { types: string[]; values: string[] } {
  const source = readFileSync(path, 'utf8');
  const names = (pattern: RegExp) =>
    [...source.matchAll(pattern)].flatMap((match) =>
      (match[1] ?? '')
        .split(',')
        .map(
          (name) =>
            name
              .trim()
              .split(/\s+as\s+/u)
              .at(-1) ?? '',
        )
        .filter((name) => name !== ''),
    );
  return { types: names(/export type \{([^}]*)\}/gu), values: names(/export \{([^}]*)\}/gu) };
}

const own = exportedNames(join(packageDir, 'src', 'index.ts'));
const hubspot = exportedNames(join(packageDir, '..', 'hubspot', 'src', 'index.ts'));

describe('the README', () => {
  it('names every exported runtime function and value', () => {
    expect(own.values.length).toBeGreaterThan(0);
    expect(
      own.values.filter((name) => !mentions(name)),
      'name these exports in README.md ("Exported functions and values")',
    ).toEqual([]);
  });

  it('names every exported type', () => {
    expect(own.types.length).toBeGreaterThan(0);
    expect(
      own.types.filter((name) => !readme.includes(`\`${name}\``)),
      'name these types in README.md ("Exported types")',
    ).toEqual([]);
  });

  it('names every method of the client (one level into each API)', () => {
    const client = createVismaNxtClient({
      clientId: 'x',
      clientSecret: 'y',
      companyNo: 1,
    }) as unknown as Record<string, unknown>;
    const missing: string[] = [];
    for (const [area, api] of Object.entries(client)) {
      if (typeof api === 'function') {
        if (!mentions(area)) missing.push(`client.${area}`);
        continue;
      }
      if (!mentions(`client.${area}`)) missing.push(`client.${area}`);
      if (api === null || typeof api !== 'object') continue;
      for (const [name, value] of Object.entries(api))
        if (typeof value === 'function' && !mentions(name)) missing.push(`client.${area}.${name}`);
    }
    expect(
      missing.length === 0 || missing,
      'name these in README.md ("Every method") as `name` or name(',
    ).toBe(true);
  });
});

describe('the exported names', () => {
  it('share none with @port-service/hubspot', () => {
    const theirs = new Set([...hubspot.types, ...hubspot.values]);
    expect(hubspot.values).toContain('createHubSpotClient');
    expect([...own.types, ...own.values].filter((name) => theirs.has(name))).toEqual([]);
  });

  it('name no global type of the DOM or Node (RequestInfo, Response, …), which would shadow it', () => {
    const globals = ['RequestInfo', 'RequestInit', 'Response', 'Request', 'Headers', 'Error', 'Event'];
    expect(own.types.filter((name) => globals.includes(name))).toEqual([]);
  });
});
