import { desc, eq } from 'drizzle-orm';
import { users } from '../../core/auth/tables.ts';
import type { Platform } from '../../core/platform.ts';
import type { OutboxService } from '../../core/services.ts';
import { renderEmail } from './email.ts';
import { emailOutbox } from './tables.ts';

/** The `outbox` service (core/services.ts): the dev plugin's window on what was (or would be) sent. */
export const outboxService = (platform: Platform): OutboxService => ({
  async messagesOf(userId, limit) {
    const { db } = platform;
    const [[user], rows] = await db.batch([
      db.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, userId)),
      db.select().from(emailOutbox).where(eq(emailOutbox.userId, userId)).orderBy(desc(emailOutbox.id)).limit(Math.min(limit, 200)),
    ]);
    if (!user) return [];
    return Promise.all(
      rows.map(async (r) => {
        const { html, text, subject } = await renderEmail(platform.config, userId, { id: r.id, type: r.type, subject: r.subject, body: r.body, to: user });
        return {
          id: r.id,
          type: r.type,
          subject,
          text,
          html,
          status: r.status,
          attempts: r.attempts,
          failure: r.failure,
          providerMessageId: r.providerMessageId,
          createdAt: r.createdAt,
          sentAt: r.sentAt,
        };
      }),
    );
  },
});
