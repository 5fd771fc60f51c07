import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectDocsWorkOffline } from '../support/docs-page.ts';
import { UNREACHABLE_URL } from '../support/rates-server.ts';
import { startServer } from './server.ts';

describe('/docs on a running host, with nothing but that host to load from', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer({ EXCHANGE_RATES_URL: UNREACHABLE_URL, EXCHANGE_RATES_HISTORY_URL: UNREACHABLE_URL });
  });
  afterAll(() => server?.stop());

  it('serves the page, its script and its document from the same origin', async () => {
    await expectDocsWorkOffline((path) => fetch(`${server.baseUrl}${path}`), server.baseUrl);
  });
});
