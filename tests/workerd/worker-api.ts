import { exports } from 'cloudflare:workers';
import { apiClient } from '../support/api-client.ts';

/**
 * The Worker's own fetch, called as Cloudflare's edge calls it: with the client's address in
 * CF-Connecting-IP (a request may name its own). One address per test file, made up from the
 * documentation range: files that run at once never share a rate-limit count.
 */
export function workerApi() {
  const address = `2001:db8::${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}`;
  return apiClient({
    request: (path, init) => {
      const request = new Request(`http://example.com${path}`, init);
      if (!request.headers.has('cf-connecting-ip')) request.headers.set('cf-connecting-ip', address);
      return exports.default.fetch(request);
    },
  });
}
