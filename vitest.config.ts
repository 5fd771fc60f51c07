import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

declare module 'vitest' {
  interface ProvidedContext {
    sqldUrl: string;
    ratesBaseUrl: string;
    /** A user seeded by the workers global setup with a password hashed on Node. */
    nodeUserEmail: string;
    nodeUserPassword: string;
  }
}

export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    projects: [
      {
        // Unit and route tests beside the code, cross-plugin suites, and the real `npm start` process.
        test: {
          name: 'node',
          environment: 'node',
          include: ['core/**/*.test.ts', 'plugins/**/*.test.ts', 'tests/*.test.ts', 'tests/e2e/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The Worker built from the same app, inside workerd, against a real sqld.
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                DATABASE_URL: inject('sqldUrl'),
                JWT_SECRET: 'workerd-test-secret-at-least-32-bytes-long',
                LOG_LEVEL: 'warn',
                EXCHANGE_RATES_URL: `${inject('ratesBaseUrl')}/eurofxref-daily.xml`,
                EXCHANGE_RATES_HISTORY_URL: `${inject('ratesBaseUrl')}/eurofxref-hist-90d.xml`,
              },
            },
          })),
        ],
        test: {
          name: 'workers',
          include: ['tests/workerd/**/*.test.ts'],
          globalSetup: ['tests/workerd/global-setup.ts'],
          // The first request loads the module graph through vite: seconds on 2 cores.
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
