import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'api',
          include: ['api/**/*.test.ts', 'shared/**/*.test.ts'],
          globalSetup: ['api/test/global-setup.ts'],
          globals: false,
          pool: 'forks',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'dashboard',
          include: ['dashboard/e2e/**/*.e2e.test.ts'],
          // The database template of the API tests, then a fresh build of the dashboard to serve.
          globalSetup: ['api/test/global-setup.ts', 'dashboard/e2e/global-setup.ts'],
          globals: false,
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
