/**
 * The mailer port: what the delivery job hands over, and what became of each message. Two
 * adapters: Postmark (postmark.ts) when POSTMARK_SERVER_TOKEN and MAIL_FROM are set, else the
 * log (log.ts): the outbox alone, each message written to the log.
 */
export interface OutgoingEmail {
  /** The outbox row's id: sent along as metadata, so a send whose answer was lost can be found again. */
  id: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: { name: string; value: string }[];
  /** The kind of message (a notification type): Postmark's Tag. */
  tag: string;
}

/** Why a message will never be sent, as the provider said. */
export type Rejection = 'inactive_recipient' | 'invalid_address';

export type SendOutcome =
  /** Accepted: the provider's message id (null for the log). */
  | { id: string; status: 'sent'; messageId: string | null }
  /** Refused for now (rate limit, the provider's fault, a bad token): try again later. */
  | { id: string; status: 'retry'; error: string }
  /** Refused for good: never try again. */
  | { id: string; status: 'rejected'; reason: Rejection; error: string };

/**
 * No answer came (the connection broke, the request timed out): the provider may have sent the
 * batch or not. The caller must not send it again before `find` has said it has not.
 */
export class MailOutcomeUnknown extends Error {
  override name = 'MailOutcomeUnknown';
}

export interface Mailer {
  readonly kind: 'postmark' | 'log';
  /** At most `maxBatch` messages; one outcome per message, in order. Throws MailOutcomeUnknown when it cannot know. */
  send(batch: readonly OutgoingEmail[]): Promise<SendOutcome[]>;
  /** The provider's id of the message sent for an outbox id, or null when it sent none; throws when it cannot tell. */
  find(outboxId: string): Promise<string | null>;
  readonly maxBatch: number;
}
