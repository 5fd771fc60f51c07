import { Errors, ServerClient } from 'postmark';
import type { Mailer, OutgoingEmail, Rejection, SendOutcome } from './interface.ts';
import { MailOutcomeUnknown } from './interface.ts';

export interface PostmarkOptions {
  token: string;
  from: string;
  /** https://api.postmarkapp.com, or a stand-in's http://127.0.0.1:PORT. */
  apiUrl: string;
  messageStream: string;
}

// Postmark's per-message error codes that no retry will change.
const PERMANENT: Record<number, Rejection> = { 406: 'inactive_recipient', 300: 'invalid_address' };
// Postmark takes at most 500 messages per batch call.
const MAX_BATCH = 500;
// Seconds: a call that gets no answer within this is an unknown outcome, not a failure.
const TIMEOUT_S = 30;

/** The `postmark` npm client (fetch-based: the same on Node, Deno and Workers). */
export function postmarkMailer(options: PostmarkOptions): Mailer {
  const url = new URL(options.apiUrl);
  const client = new ServerClient(options.token, {
    useHttps: url.protocol === 'https:',
    requestHost: url.host + url.pathname.replace(/\/$/, ''),
    timeout: TIMEOUT_S,
  });
  const message = (m: OutgoingEmail) => ({
    From: options.from,
    To: m.to,
    Subject: m.subject,
    HtmlBody: m.html,
    TextBody: m.text,
    Tag: m.tag,
    MessageStream: options.messageStream,
    Headers: m.headers.map((h) => ({ Name: h.name, Value: h.value })),
    Metadata: { outbox_id: m.id },
    TrackOpens: false,
  });
  return {
    kind: 'postmark',
    maxBatch: MAX_BATCH,
    async send(batch) {
      let answers;
      try {
        answers = await client.sendEmailBatch(batch.map(message));
      } catch (err) {
        // An answer with an HTTP status: Postmark took none of the batch (a bad token, the rate
        // limit, its own fault). Anything else (no answer) leaves it unknown.
        if (err instanceof Errors.HttpError && err.statusCode > 0) {
          const error = `Postmark answered ${err.statusCode} (${err.code}): ${err.message}`;
          return batch.map((m): SendOutcome => ({ id: m.id, status: 'retry', error }));
        }
        throw new MailOutcomeUnknown(`no answer from Postmark: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      return batch.map((m, i): SendOutcome => {
        const answer = answers[i];
        if (!answer) return { id: m.id, status: 'retry', error: 'Postmark answered for fewer messages than sent' };
        if (answer.ErrorCode === 0) return { id: m.id, status: 'sent', messageId: answer.MessageID };
        const error = `Postmark error ${answer.ErrorCode}: ${answer.Message}`;
        const reason = PERMANENT[answer.ErrorCode];
        return reason ? { id: m.id, status: 'rejected', reason, error } : { id: m.id, status: 'retry', error };
      });
    },
    async find(outboxId) {
      // Postmark's outbound search filters on metadata: the id we sent with the message.
      const found = await client.getOutboundMessages({ count: 1, offset: 0, messageStream: options.messageStream, metadata_outbox_id: outboxId });
      return found.Messages[0]?.MessageID ?? null;
    },
  };
}
