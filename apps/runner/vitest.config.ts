import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Property and simulator tests are CPU-heavy and share two cores with the other packages' tests under turbo:
  // a generous timeout, and no test here asserts speed (benchmarks do that). The longest tests that keep the
  // default (the e2e suites: up to 15 s on an idle developer's machine) get 120 s, room for a machine several times
  // slower; longer suites set their own, from their work. Hooks start and stop simulators and the CLI: 60 s.
  // The global setup decides where PostgreSQL state tests get a server (test-support/postgres-server.ts); it starts
  // nothing unless a test asks for a database.
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    globalSetup: ['src/test-support/postgres-global-setup.ts'],
  },
});
