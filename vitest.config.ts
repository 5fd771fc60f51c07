import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { WORKERD_POSTMARK_TOKEN } from './tests/workerd/postmark-token.ts';
import { WORKERD_VAPID } from './tests/workerd/push-keys.ts';

declare module 'vitest' {
  interface ProvidedContext {
    sqldUrl: string;
    ratesBaseUrl: string;
    /** The Upstash REST stand-in (tests/support/upstash-server.ts) the Worker's rate limits use. */
    upstashUrl: string;
    upstashToken: string;
    /** The Postmark stand-in of the workers project (tests/support/postmark-server.ts). */
    postmarkUrl: string;
    /** The push service stand-in of the workers project (tests/support/push-server.ts). */
    pushUrl: string;
    /** The webhook receiver of the workers project (tests/support/webhook-receiver.ts). */
    webhookReceiverUrl: string;
    /** A user seeded by the workers global setup with a password hashed on Node. */
    nodeUserEmail: string;
    nodeUserPassword: string;
    /** Which host the end-to-end suite (tests/e2e) runs against. */
    host: 'node' | 'deno' | 'worker';
    /** That host as tests/e2e/global-setup.ts started it, for the files that share one. */
    sharedServerUrl: string;
  }
}

/** The one end-to-end suite, run against each host's real process (tests/e2e/server.ts starts it). */
const e2e = (host: 'node' | 'deno' | 'worker') => ({
  test: {
    name: `e2e-${host}`,
    environment: 'node',
    include: ['tests/e2e/**/*.test.ts'],
    // Stop signals and connection timeouts are the embedded hosts' business: wrangler stops the
    // Worker, and Cloudflare's edge owns its connections.
    exclude: [
      ...(host === 'worker' ? ['tests/e2e/stop.test.ts', 'tests/e2e/slow-body.test.ts'] : []),
    ],
    provide: { host },
    globalSetup: ['tests/e2e/global-setup.ts'],
    testTimeout: 60_000,
    // wrangler dev and a fresh sqld per server on the Worker: slower to start on 2 busy cores.
    hookTimeout: 120_000,
  },
});

export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    // Two files at a time, not vitest's default of one on a 2-core machine: most of the suite
    // waits on the servers it starts (their own processes), so a second file overlaps that wait.
    maxWorkers: 2,
    projects: [
      {
        // Unit and route tests beside the code, and cross-plugin suites.
        test: {
          name: 'node',
          environment: 'node',
          include: ['core/**/*.test.ts', 'plugins/**/*.test.ts', 'sdk/**/*.test.ts', 'tests/*.test.ts', 'tests/security/*.test.ts'],
          // One worker process runs file after file instead of a fresh one per file: the app's
          // module graph is imported once per worker, not 73 times. Measured on this machine:
          // this project 3 min 15 s → 1 min 55 s, the whole suite 7 min 47 s → 6 min 39 s. No test
          // here mocks a module or leaves a global changed; kept state is per database or Platform.
          isolate: false,
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
                UPSTASH_REDIS_REST_URL: inject('upstashUrl'),
                UPSTASH_REDIS_REST_TOKEN: inject('upstashToken'),
                POSTMARK_SERVER_TOKEN: WORKERD_POSTMARK_TOKEN,
                MAIL_FROM: 'ExpenseFlow <alerts@expenseflow.test>',
                POSTMARK_API_URL: inject('postmarkUrl'),
                ...WORKERD_VAPID,
                // The webhook receiver of the global setup is on loopback.
                WEBHOOKS_ALLOW_PRIVATE: 'true',
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
      e2e('node'),
      e2e('deno'),
      e2e('worker'),
    ],
  },
});
