import createClient from 'openapi-fetch';
import type { components, paths } from '../openapi/schema.d.ts';
import { retryingFetch, type RetryOptions } from './retrying-fetch.ts';

export { verifyWebhookSignature, type VerifyOptions } from './signature.ts';
export type { RetryOptions } from './retrying-fetch.ts';
export type { components, paths } from '../openapi/schema.d.ts';

type Schemas = components['schemas'];
export type FeedEvent = Schemas['FeedEvent'];
export type FeedEventType = Schemas['FeedEventType'];
export type Webhook = Schemas['Webhook'];
export type WebhookDelivery = Schemas['WebhookDelivery'];

export interface ExpenseFlowOptions {
  /** Where the API is, e.g. `https://api.example.com` (no trailing /api). */
  baseUrl: string;
  /** A login token (POST /api/auth/login), or an API key: either is sent as `Authorization: Bearer …`. */
  token?: string;
  apiKey?: string;
  /** Retries of failed requests (network errors, 408, 429, 502-504); writes keep one Idempotency-Key across them. */
  retry?: RetryOptions;
  /** The fetch to use (default the global one). */
  fetch?: (request: Request) => Promise<Response>;
}

/** An error answer of the API: its HTTP status and the error body's code, message and details. */
export class ExpenseFlowError extends Error {
  override name = 'ExpenseFlowError';
  readonly status: number;
  readonly code: string;
  readonly details: { path: string; message: string }[];
  readonly requestId: string | undefined;
  constructor(status: number, code: string, message: string, details: { path: string; message: string }[] = [], requestId?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
  }
}

/** The data of an openapi-fetch answer, or its error thrown as an ExpenseFlowError. */
function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error === undefined && result.response.ok) return result.data as T;
  const body = (result.error ?? {}) as { code?: string; error?: string; details?: { path: string; message: string }[]; requestId?: string };
  throw new ExpenseFlowError(result.response.status, body.code ?? 'UNKNOWN', body.error ?? result.response.statusText, body.details, body.requestId);
}

/**
 * A small typed wrapper over the generated client (openapi/): authentication, retries with
 * idempotency keys, async iteration over the feed and delivery logs, webhook helpers. Every
 * other route is at `api` with its generated types (`api.GET('/api/expenses', …)`).
 */
export function createExpenseFlow(options: ExpenseFlowOptions) {
  const credential = options.token ?? options.apiKey;
  const base = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const api = createClient<paths>({
    baseUrl: options.baseUrl,
    headers: credential ? { authorization: `Bearer ${credential}` } : {},
    fetch: retryingFetch(base, options.retry),
  });

  return {
    api,
    events: {
      /** One page of the feed after `after`. */
      page: async (query: { after?: number; types?: readonly FeedEventType[]; limit?: number } = {}) =>
        unwrap(await api.GET('/api/events', { params: { query: { after: query.after, limit: query.limit, types: query.types?.join(',') } } })),
      /**
       * Every event after `after`, oldest first, page by page, until the feed has no more (it
       * stops there: call again with the last seq to follow new events).
       */
      async *all(query: { after?: number; types?: readonly FeedEventType[]; pageSize?: number } = {}): AsyncGenerator<FeedEvent> {
        let after = query.after ?? 0;
        for (;;) {
          const page = await this.page({ after, ...(query.types && { types: query.types }), ...(query.pageSize && { limit: query.pageSize }) });
          yield* page.events;
          after = page.next;
          if (!page.hasMore) return;
        }
      },
    },
    webhooks: {
      create: async (body: Schemas['CreateWebhook']) => unwrap(await api.POST('/api/webhooks', { body })),
      list: async () => unwrap(await api.GET('/api/webhooks')),
      get: async (id: string) => unwrap(await api.GET('/api/webhooks/{id}', { params: { path: { id } } })),
      update: async (id: string, body: Schemas['UpdateWebhook']) => unwrap(await api.PATCH('/api/webhooks/{id}', { params: { path: { id } }, body })),
      delete: async (id: string) => unwrap(await api.DELETE('/api/webhooks/{id}', { params: { path: { id } } })),
      rotateSecret: async (id: string) => unwrap(await api.POST('/api/webhooks/{id}/rotate-secret', { params: { path: { id } } })),
      ping: async (id: string) => unwrap(await api.POST('/api/webhooks/{id}/ping', { params: { path: { id } } })),
      redeliver: async (id: string, deliveryId: string) =>
        unwrap(await api.POST('/api/webhooks/{id}/deliveries/{deliveryId}/redeliver', { params: { path: { id, deliveryId } } })),
      /** The webhook's delivery log, newest first, page by page. */
      async *deliveries(id: string, pageSize = 50): AsyncGenerator<WebhookDelivery> {
        let before: string | undefined;
        for (;;) {
          const page = unwrap(await api.GET('/api/webhooks/{id}/deliveries', { params: { path: { id }, query: { limit: pageSize, ...(before && { before }) } } }));
          yield* page.deliveries;
          before = page.deliveries.at(-1)?._id;
          if (!page.hasMore || !before) return;
        }
      },
    },
  };
}

export type ExpenseFlow = ReturnType<typeof createExpenseFlow>;
