import { afterAll, beforeAll, inject } from 'vitest';
import { httpClient } from '../support/api-client.ts';
import { startHost, type HostName } from './host-process.ts';

/** The host this run of the suite tests: each e2e-* project of vitest.config.ts names one. */
export const hostName: HostName = inject('host');

/**
 * How a user starts the embedded hosts, for cases about the start itself. The Worker has no
 * such command of its own (wrangler starts it; a wrong setting shows at its first request).
 */
export const startCommand: string[] | null = { node: ['npm', 'start', '--silent'], deno: ['npm', 'run', 'start:deno', '--silent'], worker: null }[
  hostName
];

/**
 * A host of its own, as a new user would start it — `npm start`, `npm run start:deno`, or the
 * Worker under `wrangler dev` against a fresh sqld — with a fresh database and `env`; `logs`
 * parses its JSON log lines. For cases about a setting, the host's output or its stop.
 */
export function startServer(env: Record<string, string> = {}) {
  return startHost(hostName, env);
}

/**
 * The project's shared host (tests/e2e/global-setup.ts), rate source offline, for cases that
 * need no setting, output or stop of their own; `api` is a client on it.
 */
export function sharedServer() {
  const baseUrl = inject('sharedServerUrl');
  return { baseUrl, api: httpClient(baseUrl) };
}

/**
 * A host of its own with `env` for the cases of one describe block: started before them,
 * stopped after them. Its `api` is a client on it, for use in the cases.
 */
export function useServer(env: Record<string, string>) {
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  beforeAll(async () => {
    server = await startServer(env);
  });
  afterAll(() => server?.stop());
  return {
    api: httpClient(() => {
      if (!server) throw new Error('the host has not started: use the client inside a case');
      return server.baseUrl;
    }),
  };
}
