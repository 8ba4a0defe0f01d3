import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createHubSpotClient, type HubSpotObjectsApi } from './index.js';

// The package as its consumers see it: the files package.json names, what `import '@port-service/hubspot'` gives
// through Node's own resolution (the built dist/, which turbo builds before the tests run), and the README
// naming every method of the client.
const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  name: string;
  main?: string;
  types?: string;
  exports?: unknown;
};
const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');

/** The runtime names index.ts exports. */
const expectedRuntimeExports = [
  'associationTypes',
  'createHubSpotClient',
  'isHubSpotError',
  'mergedObjectIds',
  'modifiedDateProperty',
  'parseWebhookEvents',
  'syncPropertyGroup',
  'syncPropertySpecs',
  'verifySignatureV3',
];

/** Every file path in an `exports` map, whatever its nesting of conditions. */
function exportPaths(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(exportPaths);
}

/** What a Node process started in `cwd` resolves and imports for the package's name. */
function importByName(cwd: string): { resolved: string; names: string[] } {
  const script = `const url = import.meta.resolve(${JSON.stringify(manifest.name)});
const module = await import(url);
process.stdout.write(JSON.stringify({ resolved: url, names: Object.keys(module) }));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd,
    encoding: 'utf8',
  });
  return JSON.parse(output) as { resolved: string; names: string[] };
}

const distEntry = join(packageDir, 'dist', 'index.js');
const notBuilt = `${distEntry} is missing: build the package first (\`pnpm build\`; turbo builds it before its tests)`;

describe('the package as published', () => {
  it('names only files that exist in dist/ after a build (exports, main, types)', () => {
    expect(existsSync(distEntry), notBuilt).toBe(true);
    const named = [...exportPaths(manifest.exports), manifest.main, manifest.types].filter(
      (path): path is string => typeof path === 'string',
    );
    expect(named).toContain('./dist/index.js');
    expect(named).toContain('./dist/index.d.ts');
    for (const path of named) {
      if (path === './package.json') continue;
      expect(path.startsWith('./dist/'), `${path} is outside dist/`).toBe(true);
      expect(existsSync(join(packageDir, path)), `${path} is named in package.json but was not built`).toBe(
        true,
      );
    }
  });

  it('resolves by its name to dist/ and exports exactly the expected runtime names', () => {
    expect(existsSync(distEntry), notBuilt).toBe(true);
    const self = importByName(packageDir);
    expect(realpathSync(fileURLToPath(self.resolved))).toBe(realpathSync(distEntry));
    expect(
      [...self.names].sort(),
      "the runtime exports changed: update the README's method list and this list (expectedRuntimeExports)",
    ).toEqual(expectedRuntimeExports);
  });

  it('resolves through the workspace link of a consumer (the runner) to the same dist/', () => {
    const runner = resolve(packageDir, '../../apps/runner');
    const link = join(runner, 'node_modules', '@port-service', 'hubspot');
    expect(existsSync(link), `${link} is missing: run pnpm install`).toBe(true);
    const consumer = importByName(runner);
    expect(realpathSync(fileURLToPath(consumer.resolved))).toBe(realpathSync(distEntry));
    expect([...consumer.names].sort()).toEqual(expectedRuntimeExports);
  });

  it('has one objects-API type for companies and contacts', () => {
    const client = createHubSpotClient({ accessToken: 'x' });
    // Compile-time: both are assignable to the exported type.
    const apis: HubSpotObjectsApi[] = [client.companies, client.contacts];
    expect(Object.keys(apis[1] ?? {}).sort()).toEqual(Object.keys(apis[0] ?? {}).sort());
  });
});

describe('the README', () => {
  const mentions = (name: string) => readme.includes(`${name}(`) || readme.includes(`\`${name}\``);

  it('names every exported runtime function and value', () => {
    const missing = expectedRuntimeExports.filter((name) => !mentions(name));
    expect(missing, "update the README's method list and this list").toEqual([]);
  });

  it('names every exported type', () => {
    const index = readFileSync(join(packageDir, 'src', 'index.ts'), 'utf8');
    const types = [...index.matchAll(/export type \{([^}]*)\}/gu)].flatMap((match) =>
      (match[1] ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== ''),
    );
    expect(types.length).toBeGreaterThan(0);
    expect(
      types.filter((name) => !readme.includes(`\`${name}\``)),
      "update the README's list of exported types",
    ).toEqual([]);
  });

  it('names every method of the client (one level into each API)', () => {
    const client = createHubSpotClient({ accessToken: 'x' }) as unknown as Record<string, unknown>;
    const missing: string[] = [];
    for (const [area, api] of Object.entries(client)) {
      if (!mentions(`client.${area}`) && !readme.includes(`client.${area}.`)) missing.push(`client.${area}`);
      if (typeof api === 'function') {
        if (!mentions(area)) missing.push(`client.${area}`);
        continue;
      }
      if (api === null || typeof api !== 'object') continue;
      for (const [name, value] of Object.entries(api))
        if (typeof value === 'function' && !mentions(name)) missing.push(`client.${area}.${name}`);
    }
    expect(
      missing,
      "these methods are not in README.md as `name` or name(: update the README's method list and this list",
    ).toEqual([]);
  });
});
