import { z } from '@hono/zod-openapi';
import { decodeBase64Url, encodeBase64Url } from 'hono/utils/encode';
import { QueryInteger } from '../schemas.ts';
import { AppError } from './errors.ts';
import { corsOriginHeaderDoc } from './openapi.ts';

export const MAX_PAGE_SIZE = 200;

/** Query fields every list takes (API.md "Paging"). */
export const pagingQuery = {
  limit: QueryInteger(1, MAX_PAGE_SIZE).default(50).openapi({ description: `Page size, at most ${MAX_PAGE_SIZE}` }),
  cursor: z.string().max(512).optional().openapi({ description: 'Opaque position from the `Link: rel="next"` header' }),
  page: QueryInteger(1, 1_000_000).optional().openapi({ description: '1-based page number, for older clients; `cursor` is faster' }),
};

/**
 * The next link repeats the request's path and query (the cursor or page replaced), so it is as
 * long as the request URL allows: Node refuses a request line and headers above 16 KiB (431),
 * Cloudflare a URL above 16 KB (414). The margin is for a new cursor in place of a short one.
 */
export const MAX_LINK_LENGTH = 16_384 + 1_024;

export const linkHeaderDoc = {
  Link: {
    description: 'Where the next page is: `<url>; rel="next"`; absent on the last page',
    schema: { type: 'string' as const, maxLength: MAX_LINK_LENGTH },
  },
  ...corsOriginHeaderDoc,
};

export function encodeCursor(position: readonly (string | number)[]): string {
  return encodeBase64Url(new TextEncoder().encode(JSON.stringify(position)).buffer as ArrayBuffer);
}

/** Decodes a cursor of `n` strings; anything else is a 400, never a query with junk in it. */
export function decodeCursor(cursor: string, n: number): string[] {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(decodeBase64Url(cursor)));
    if (Array.isArray(value) && value.length === n && value.every((v) => typeof v === 'string')) return value;
  } catch {
    // fall through
  }
  throw new AppError('INVALID_CURSOR', 'Invalid cursor', [{ path: 'query.cursor', message: 'is not a cursor this API issued' }]);
}

/** `Link` to the next page: the same query with the next cursor (or page) in place. */
export function nextLink(requestUrl: string, next: { cursor: string } | { page: number }): string {
  const url = new URL(requestUrl);
  url.searchParams.delete('cursor');
  url.searchParams.delete('page');
  if ('cursor' in next) url.searchParams.set('cursor', next.cursor);
  else url.searchParams.set('page', String(next.page));
  return `<${url.pathname}${url.search}>; rel="next"`;
}

interface PageQuery {
  limit: number;
  cursor?: string | undefined;
  page?: number | undefined;
}

/** Rows to skip: only a client paging by number skips any (a cursor says where to start). */
export const pageOffset = (query: PageQuery) => (!query.cursor && query.page ? (query.page - 1) * query.limit : 0);

/**
 * The page out of `rows`, read with `limit + 1` (the extra row only says that more follow), and
 * the `Link` to the next one: the last row's `position` as a cursor, or the next page number
 * for a client paging by number.
 */
export function pageOf<T>(rows: readonly T[], query: PageQuery, requestUrl: string, position: (row: T) => readonly (string | number)[]) {
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const next =
    rows.length > query.limit && last !== undefined ? (query.page && !query.cursor ? { page: query.page + 1 } : { cursor: encodeCursor(position(last)) }) : null;
  return { page, link: next && nextLink(requestUrl, next) };
}
