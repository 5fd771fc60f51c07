import type { Config } from '../../core/config.ts';
import type { OutgoingEmail } from '../../core/mail/interface.ts';
import type { NotificationType } from './tables.ts';
import { unsubscribeCode, unsubscribeUrl } from './unsubscribe.ts';

export const TYPE_NAMES: Record<NotificationType, string> = {
  budget_alert: 'budget alerts',
  goal_achieved: 'goal achievements',
  goal_milestone: 'goal milestones',
  split_reminder: 'split reminders',
  security_alert: 'security alerts',
  recurring_expense: 'recurring expenses',
  welcome: 'welcome messages',
  weekly_summary: 'the weekly summary',
};

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Every value that goes into the HTML part goes through this: text, never markup. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
// A header line must stay one line, whatever a budget's name holds.
const oneLine = (text: string) => text.replace(/[\r\n\t]+/g, ' ').trim();

export interface EmailSource {
  id: string;
  type: NotificationType;
  subject: string;
  body: string;
  to: { email: string; name: string };
}

/** The message as sent: HTML and text parts, the unsubscribe link and the List-Unsubscribe headers. */
export async function renderEmail(config: Config, userId: string, source: EmailSource): Promise<OutgoingEmail> {
  const link = unsubscribeUrl(config, await unsubscribeCode(config, userId, source.type));
  const what = TYPE_NAMES[source.type];
  const subject = oneLine(source.subject);
  const text = [
    `Hello ${source.to.name},`,
    '',
    source.body,
    '',
    '--',
    `You get this email because email notifications for ${what} are on.`,
    `Stop emails about ${what}: ${link}`,
  ].join('\n');
  const paragraphs = source.body
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body>
<p>Hello ${escapeHtml(source.to.name)},</p>
${paragraphs}
<hr>
<p><small>You get this email because email notifications for ${escapeHtml(what)} are on. <a href="${escapeHtml(link)}">Stop emails about ${escapeHtml(what)}</a>.</small></p>
</body>
</html>`;
  return {
    id: source.id,
    to: source.to.email,
    subject,
    html,
    text,
    tag: source.type,
    headers: [
      { name: 'List-Unsubscribe', value: `<${link}>` },
      // RFC 8058: the mail client unsubscribes with one POST, the user never leaves the inbox.
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ],
  };
}
