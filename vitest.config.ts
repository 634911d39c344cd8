import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration and e2e tests each start their own moto server; two cores are enough for two at a time.
    maxWorkers: 2,
    reporters: ['default', ['json', { outputFile: '.vitest/results.json' }]],
  },
});
