import type { Logger } from '../logger.ts';
import type { Mailer } from './interface.ts';

/**
 * Without Postmark: nothing leaves the machine. Each message is logged (recipient, subject,
 * text part) and stays readable in the outbox (GET /api/dev/outbox outside production).
 */
export function logMailer(logger: Logger): Mailer {
  return {
    kind: 'log',
    maxBatch: 500,
    async send(batch) {
      for (const m of batch) logger.info('email (not sent: no POSTMARK_SERVER_TOKEN and MAIL_FROM)', { outboxId: m.id, to: m.to, subject: m.subject, text: m.text });
      return batch.map((m) => ({ id: m.id, status: 'sent', messageId: null }));
    },
    // Logging never fails half-way: what was claimed and not recorded was not logged either.
    find: async () => null,
  };
}
