import { defineConfig } from 'tsup';

// The CLI as one ESM file; workspace packages and npm dependencies stay imports (resolved from node_modules).
export default defineConfig({
  entry: ['src/cli.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: true,
  dts: false,
});
