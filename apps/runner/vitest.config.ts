import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Property and simulator tests are CPU-heavy and share two cores with the other packages' tests under turbo:
  // a generous timeout, and no test here asserts speed (benchmarks do that).
  test: { include: ['src/**/*.test.ts'], testTimeout: 60_000 },
});
