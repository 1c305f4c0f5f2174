import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'capsules/*/src/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
  },
});
