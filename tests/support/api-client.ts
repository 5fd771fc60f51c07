// Apart from app.ts so that the workerd suites can use it without reaching the embedded
// database client (a native addon workerd cannot load).

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the app the way a client would: JSON in, JSON out, optional bearer token. */
export function apiClient(app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> }) {
  const call = async <T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: BodyInit | undefined;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const res = await app.request(path, { method, headers, body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  return {
    call,
    get: <T = any>(path: string, token?: string) => call<T>('GET', path, { token }),
    post: <T = any>(path: string, body: unknown, token?: string) => call<T>('POST', path, { body, token }),
    put: <T = any>(path: string, body: unknown, token?: string) => call<T>('PUT', path, { body, token }),
    patch: <T = any>(path: string, body: unknown, token?: string) => call<T>('PATCH', path, { body, token }),
    del: <T = any>(path: string, token?: string) => call<T>('DELETE', path, { token }),
    /** Registers a user and returns their token and id. */
    async register(email = `user-${Math.random().toString(36).slice(2)}@example.com`, name = 'Test User') {
      const res = await call<{ token: string; user: { id: string } }>('POST', '/api/auth/register', {
        body: { name, email, password: 'password123' },
      });
      if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { token: res.body.token, id: res.body.user.id, email };
    },
  };
}

/** The same client over real HTTP, for a host process under test (its URL, or how to get it once it has started). */
export const httpClient = (baseUrl: string | (() => string)) =>
  apiClient({ request: (path, init) => fetch(`${typeof baseUrl === 'string' ? baseUrl : baseUrl()}${path}`, init) });
