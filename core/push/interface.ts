/**
 * The Web Push port: one message to one subscription, encrypted for it (RFC 8291) and signed
 * with the server's VAPID key (RFC 8292). One adapter, webpush.ts, on WebCrypto and fetch, so
 * every host sends; absent (platform.push null) without VAPID configuration.
 */
export interface PushTarget {
  endpoint: string;
  /** The browser's P-256 public key, base64url (65 bytes uncompressed). */
  p256dh: string;
  /** The browser's authentication secret, base64url (16 bytes). */
  auth: string;
}

export interface PushMessage {
  /** The payload (JSON text); at most MAX_PUSH_PAYLOAD bytes of UTF-8. */
  payload: string;
  /** Seconds the push service keeps it for an offline device. */
  ttl: number;
  urgency?: 'very-low' | 'low' | 'normal' | 'high';
  /** Replaces an undelivered message with the same topic (at most 32 base64url characters). */
  topic?: string;
}

export type PushOutcome =
  /** Accepted by the push service (201). */
  | { status: 'sent' }
  /** 404 or 410: the subscription is gone; remove it. */
  | { status: 'gone'; error: string }
  /** 429, 5xx, no answer: try again later (after `retryAfterMs` when the service said). */
  | { status: 'retry'; error: string; retryAfterMs?: number }
  /** Any other refusal (400, 403, 413): trying again would meet the same answer. */
  | { status: 'rejected'; error: string };

export interface PushSender {
  /** The application server key browsers subscribe with (VAPID public key, base64url). */
  readonly publicKey: string;
  send(target: PushTarget, message: PushMessage): Promise<PushOutcome>;
}

/** A record of 4096 bytes less the header (86), the padding delimiter (1) and the tag (16). */
export const MAX_PUSH_PAYLOAD = 3993;
