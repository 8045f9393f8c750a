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
          name: 'extension',
          include: ['extension/src/**/*.test.ts'],
          globalSetup: ['extension/test/wxt-prepare.mjs'],
          environment: 'happy-dom',
        },
      },
      {
        test: {
          name: 'extension-e2e',
          include: ['extension/e2e/**/*.test.ts'],
          // A migrated database template each file copies (see api/test/global-setup.ts), then the build.
          globalSetup: ['api/test/global-setup.ts', 'extension/e2e/global-setup.mjs'],
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // A loaded machine (all projects at once) makes the browser slow; polls wait, never sleep.
          expect: { poll: { timeout: 15_000 } },
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
          // As for the extension: under a loaded machine a page can take more than a second.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
})
