import { FEED_RETENTION_DAYS } from '../../core/feed/types.ts';
import type { JobDefinition } from '../../core/jobs.ts';

const DAY_MS = 86_400_000;
/** Rows per delete: short write transactions, so requests are not held up behind a large purge. */
const PURGE_BATCH = 5_000;
const MAX_BATCHES = 100;

/** Hourly: deletes feed events older than the retention (30 days). */
export const purgeEvents: JobDefinition = {
  name: 'events.retention',
  cron: '0 * * * *',
  async run({ platform, signal }) {
    const before = new Date(platform.clock.now().getTime() - FEED_RETENTION_DAYS * DAY_MS).toISOString();
    let purged = 0;
    for (let i = 0; i < MAX_BATCHES && !signal.aborted; i++) {
      const n = await platform.feed.purge(before, PURGE_BATCH);
      purged += n;
      if (n < PURGE_BATCH) break;
    }
    return purged;
  },
};
