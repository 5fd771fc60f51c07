/**
 * Global setup of each e2e-* project: one host of the project's kind, shared by the files whose
 * cases need nothing of their own from it (sharedServer in server.ts). Each case signs up its
 * own users, so they meet nothing of each other's; starting a host per file cost 2–8 s each.
 */
import type { TestProject } from 'vitest/node';
import { UNREACHABLE_URL } from '../support/rates-server.ts';
import { startHost } from './host-process.ts';

export default async function setup(project: TestProject) {
  // The rate source offline at once: no case on it counts on rates, and none waits for a fetch.
  const server = await startHost(project.getProvidedContext().host, { EXCHANGE_RATES_URL: UNREACHABLE_URL, EXCHANGE_RATES_HISTORY_URL: UNREACHABLE_URL });
  project.provide('sharedServerUrl', server.baseUrl);
  return () => server.stop();
}
