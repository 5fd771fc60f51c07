import type { Result, Router } from 'hono/router';
import { TrieRouter } from 'hono/router/trie-router';

// Distinct paths kept; past it the cache starts again (a client asking for many unknown paths
// cannot make it grow without bound).
const MAX_PATHS = 512;

/**
 * Hono's TrieRouter with the match of each path that has no parameters kept. Hono's default
 * (SmartRouter) would pick its RegExpRouter, which looks static paths up in one step, but that
 * one refuses our route set (a static segment beside a parameter that both go deeper, such as
 * `/api/expenses/categories/:name` beside `/api/expenses/:id`), so every request walked the
 * trie: /health, the lists and every create among them. A match is never changed after it is
 * made (Hono reads the handlers and parameters from it), so the same one can serve again.
 */
export class MatchCache<T> implements Router<T> {
  readonly name = 'MatchCache';
  readonly #trie = new TrieRouter<T>();
  #kept = new Map<string, Result<T>>();

  add(method: string, path: string, handler: T): void {
    this.#kept.clear();
    this.#trie.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    const key = `${method} ${path}`;
    const kept = this.#kept.get(key);
    if (kept) return kept;
    const result = this.#trie.match(method, path);
    // A match with parameters (an id in the path) is one of many: not kept.
    if (result[0].every(([, params]) => isEmpty(params))) {
      if (this.#kept.size >= MAX_PATHS) this.#kept.clear();
      this.#kept.set(key, result);
    }
    return result;
  }
}

function isEmpty(params: unknown): boolean {
  for (const _ in params as object) return false;
  return true;
}
