import { describe, it } from 'vitest';
import { expectDocsWorkOffline } from '../support/docs-page.ts';
import { sharedServer } from './server.ts';

describe('/docs on a running host, with nothing but that host to load from', () => {
  const server = sharedServer();

  it('serves the page, its script and its document from the same origin', async () => {
    await expectDocsWorkOffline((path) => fetch(`${server.baseUrl}${path}`), server.baseUrl);
  });
});
