import { definePlugin } from '../../core/plugin.ts';
import byExpense from './routes/by-expense.ts';
import createExpense from './routes/create-expense.ts';
import remove from './routes/delete.ts';
import file from './routes/file.ts';
import get from './routes/get.ts';
import list from './routes/list.ts';
import upload from './routes/upload.ts';
import workerClaim from './routes/worker-claim.ts';
import workerFile from './routes/worker-file.ts';
import workerReading from './routes/worker-reading.ts';
import { resumeReadings, unlinkExpense } from './service.ts';
import { receipts } from './tables.ts';

export default definePlugin({
  name: 'receipts',
  description: 'Receipt files (PNG, JPEG, WebP, PDF) read offline: total, date, merchant, currency and line items; an expense from the reading',
  // expenses: a receipt belongs to one of the user's expenses, and becomes one through its `expenses` service.
  dependencies: ['auth', 'expenses'],
  uses: ['expenses'],
  tables: { receipts },
  routes: (app) => {
    app.openAPIRegistry.registerComponent('securitySchemes', 'ocrWorkerSecret', {
      type: 'apiKey',
      in: 'header',
      name: 'X-OCR-Worker-Secret',
      description: 'OCR_WORKER_SECRET, shared with `npm run ocr-worker`: only the internal routes take it',
    });
    // The static /expense and /internal paths first, so that /{id} does not swallow them.
    workerClaim(app);
    workerFile(app);
    workerReading(app);
    byExpense(app);
    list(app);
    upload(app);
    get(app);
    file(app);
    createExpense(app);
    remove(app);
  },
  jobs: [
    {
      // Readings left pending by a stop or a passing fault; on Workers (no OCR here) nothing to do.
      name: 'receipts.resume',
      cron: '*/15 * * * *',
      runOnStart: true,
      run: async ({ platform, trigger }) => {
        const { nextLapse } = await resumeReadings(platform);
        // At a start, a receipt still claimed was most likely held by the process that stopped
        // (killed mid-reading): look again when its claim lapses rather than at the next tick.
        if (trigger === 'startup' && nextLapse) {
          const delay = Math.max(0, nextLapse.getTime() - platform.clock.now().getTime()) + 100;
          setTimeout(() => void platform.jobs.run('receipts.resume', 'startup').catch(() => undefined), delay).unref?.();
        }
      },
    },
  ],
  on: {
    'expense.deleted': ({ userId, expenseId }, platform) => unlinkExpense(platform, userId, expenseId),
  },
});
