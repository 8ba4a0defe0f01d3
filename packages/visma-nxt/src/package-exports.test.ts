import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The package as its consumers see it: the files package.json names exist in the built dist/ (turbo builds it
// before the tests run), and `import '@port-service/visma-nxt'` through Node's own resolution gives them.
const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  name: string;
  main?: string;
  types?: string;
  exports?: unknown;
};

/** The runtime names index.ts exports. */
const expectedRuntimeExports = [
  'createDateTimeCodec',
  'createVismaNxtClient',
  'customerDefaultColumns',
  'defaultFieldNames',
  'defaultTimeZone',
  'isServiceUser',
  'isVismaNxtError',
  'parseTableChange',
  'signatureHeader',
  'toDateTimeFilterValue',
  'verifyWebhook',
];

function exportPaths(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(exportPaths);
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
    const script = `const url = import.meta.resolve(${JSON.stringify(manifest.name)});
const module = await import(url);
process.stdout.write(JSON.stringify({ resolved: url, names: Object.keys(module) }));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: packageDir,
      encoding: 'utf8',
    });
    const found = JSON.parse(output) as { resolved: string; names: string[] };
    expect(realpathSync(fileURLToPath(found.resolved))).toBe(realpathSync(distEntry));
    expect(
      [...found.names].sort(),
      'the runtime exports changed: update the README and this list (expectedRuntimeExports)',
    ).toEqual(expectedRuntimeExports);
  });
});
