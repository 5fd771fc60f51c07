import type { JobDefinition } from '../../core/jobs.ts';

// Checked at start-up only: a start within this long of the last fetch does not fetch again.
const FRESH_MS = 6 * 3_600_000;

declare module '../../core/events.ts' {
  interface DomainEvents {
    'rates.updated': { newest: string; days: number };
  }
}

export const refreshRates: JobDefinition = {
  name: 'currency.refresh',
  // The ECB publishes around 16:00 CET on working days; every three hours catches it.
  cron: '5 */3 * * *',
  runOnStart: true,
  // As long as a load started by a request may take before it counts as lost (load-on-demand.ts):
  // a Worker cancels waitUntil work it runs past 30 s, and that holder renews its lease no more.
  leaseMs: 60_000,
  async run({ platform, trigger }) {
    if (trigger === 'startup') {
      const latest = await platform.rates.latest();
      if (latest && platform.clock.now().getTime() - Date.parse(latest.fetchedAt) < FRESH_MS) return;
    }
    const result = await platform.rates.refresh();
    platform.logger.info('exchange rates refreshed', result);
    await platform.events.emit('rates.updated', result);
  },
};
