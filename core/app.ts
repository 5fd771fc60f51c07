import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { Context, Next } from 'hono';
import { contextStorage } from 'hono/context-storage';
import { cors } from 'hono/cors';
import pkg from '../package.json' with { type: 'json' };
import { docsRoutes, type DocsScript } from './docs.ts';
import type { EventName } from './events.ts';
import { DATABASE_FAULTS, databaseFault, retryAfter, type DatabaseFault } from './db/faults.ts';
import { errorHandler, noteRecovery, notFoundHandler, validationHook } from './http/error-handler.ts';
import { checkBodyType, checkUrlLength, limitBody, MAX_BODY_BYTES, readUtf8Json } from './http/guards.ts';
import type { HeaderList } from './http/headers.ts';
import { documentBodyGuards } from './http/guards-doc.ts';
import { documentRateLimits, notePolicies, RATE_LIMIT_HEADERS } from './http/rate-limit-doc.ts';
import { generalRateLimit } from './http/rate-limit.ts';
import { apiSecureHeaders, secureHeaderList } from './http/secure-headers.ts';
import { MatchCache } from './http/match-cache.ts';
import { errors, jsonContent } from './http/openapi.ts';
import { isMultipart, refuseDeclaredOver } from './http/upload.ts';
import { rawJson } from './http/raw-json.ts';
import { AppError } from './http/errors.ts';
import { wroteDuring } from './audit/context.ts';
import { documentRouteAuth } from './http/route-auth-doc.ts';
import { API_KEY_PREFIX } from './auth/api-keys.ts';
import { applyRouteAuth, type RouteAuth } from './auth/route-auth.ts';
import { API_KEY_SCHEME, SCOPE_RESOURCES } from './auth/scopes.ts';
import { DEVICE_ID, Instant, Integer } from './schemas.ts';
import { coreRetentionRules, retentionJob } from './retention.ts';
import { JOB_OUTCOMES, JOB_TRIGGERS } from './jobs/tables.ts';
import type { AppEnv, Platform } from './platform.ts';
import { loadOrder, type PluginDefinition } from './plugin.ts';
import type { PolicyName } from './rate-limit/policies.ts';

export const API_VERSION = pkg.version;

/**
 * A fresh OpenAPIHono wired to the shared validation hook: one per plugin, and the app itself.
 * Only the app's router matches requests (a plugin's only collects routes): it keeps its matches.
 */
export const createRouter = ({ matchesRequests = false } = {}) =>
  new OpenAPIHono<AppEnv>({ defaultHook: validationHook, ...(matchesRequests && { router: new MatchCache() }) });

const JobStatus = z
  .object({
    name: z.string().max(100).openapi({ example: 'currency.refresh' }),
    cron: z.string().max(100).openapi({ example: '5 */3 * * *' }),
    lastRun: z
      .object({
        trigger: z.enum(JOB_TRIGGERS),
        startedAt: Instant,
        finishedAt: Instant.nullable(),
        outcome: z.enum(JOB_OUTCOMES).openapi({ description: '`abandoned`: its process stopped before the end (its lease expired)' }),
        items: Integer(0, Number.MAX_SAFE_INTEGER).nullable().openapi({ description: 'What the run processed, for jobs that count it' }),
      })
      .nullable()
      .openapi({ description: 'Null until the job first runs' }),
  })
  .openapi('JobStatus');

const Health = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string().max(64).openapi({ example: API_VERSION }),
    database: z.enum(['ok', 'unreachable']),
    cause: z
      .enum(DATABASE_FAULTS)
      .optional()
      .openapi({ description: 'Why the service is degraded: the database fault requests met in the last 30 s, or meet now' }),
    jobs: z.array(JobStatus).max(100).openapi({ description: 'Each scheduled job and its latest run on any process (read from the database at most every 5 s)' }),
  })
  .openapi('Health');

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  tags: ['platform'],
  summary: 'Service health',
  security: [],
  description: 'Status, version and whether the database answers. Needs no token.',
  responses: {
    ...errors(),
    200: jsonContent(Health, 'The service and its database are up'),
    503: jsonContent(Health, 'Degraded: the database is full, busy or does not answer (`cause` says which)'),
  },
});

/** X-Device-Id, optional: 1 to 64 characters of [A-Za-z0-9._:-]; anything else is a 400. */
function readDeviceId(c: Context<AppEnv>): void {
  const header = c.req.header('x-device-id');
  if (header !== undefined && !DEVICE_ID.test(header)) {
    throw new AppError('INVALID_DEVICE_ID', 'X-Device-Id must be 1 to 64 characters of A-Z, a-z, 0-9, ".", "_", ":" or "-"');
  }
  c.set('deviceId', header ?? null);
}

/** What only the host can provide to the app shell. */
export interface AppOptions {
  /** The API reference's browser bundle, served at /docs/scalar.js. */
  docsScript: DocsScript;
}

// What Hono's requestId middleware accepts from a client; anything else gets a fresh id.
const CLIENT_REQUEST_ID = /^[\w\-=]{1,255}$/;
const VARY_ORIGIN: HeaderList = [['Vary', 'Origin']];

// Built once: the embedded client keeps the statement prepared, so a health check costs little.
const ping = sql`select 1`;
const PROBE_TTL_MS = 1000;

/**
 * Builds the app: platform middleware, then every plugin of the manifest in dependency
 * order under /api/<name>, its jobs and its event listeners; then /health and the docs.
 */
export function createApp(platform: Platform, plugins: readonly PluginDefinition[], options: AppOptions): OpenAPIHono<AppEnv> {
  // The whole manifest is checked; only the plugins this configuration enables are loaded.
  const ordered = loadOrder(plugins).filter((p) => p.enabled?.(platform.config) ?? true);
  const app = createRouter({ matchesRequests: true });

  const { setHeaders } = platform;

  // Hono's secure headers (core/http/secure-headers.ts) and the request id go out in one call per
  // request, with the request's own setup, in one middleware: each layer is a closure and a
  // promise more on every request.
  const secure = secureHeaderList(apiSecureHeaders);
  const requestLogs = platform.logger.enabled('info');
  app.use(async (c, next) => {
    // Hono's requestId middleware, but with the header set the host's way (platform.setHeaders).
    // Request-Id is the issue-12 name; X-Request-Id stays for the clients that read it. Either
    // one from the client is kept (Request-Id first), and both answer it.
    const given = c.req.header('request-id') ?? c.req.header('x-request-id');
    const requestId = given !== undefined && CLIENT_REQUEST_ID.test(given) ? given : crypto.randomUUID();
    c.set('requestId', requestId);
    setHeaders(c, [['Request-Id', requestId], ['X-Request-Id', requestId], ...(secure.list ?? (await secure.ready))]);
    c.set('platform', platform);
    const logger = platform.logger.child({ requestId });
    c.set('logger', logger);
    const started = requestLogs ? performance.now() : 0;
    await next();
    // A request that wrote: its audit rows are sealed into the chain soon, off the answer's path.
    if (wroteDuring(c)) platform.keepAlive(c, platform.audit.sealSoon());
    if (requestLogs) {
      logger.info('request', {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    }
  });
  // CORS concerns requests that carry an Origin; for the others Hono's cors would only add
  // headers after the handler, which rebuilds the response (a measured cost per request).
  const corsFor = cors({ origin: platform.config.FRONTEND_URL, exposeHeaders: ['Link', 'Retry-After', 'Request-Id', 'X-Request-Id', 'Idempotent-Replayed', ...RATE_LIMIT_HEADERS] });
  // The request, for code that has no `c` at hand: the audit context of every write
  // (core/audit/context.ts). Only the API writes: /health and the docs go without.
  const storeContext = contextStorage();
  // Before anything reads the body, so a refused request costs little; with RATE_LIMITS=off none.
  const limitRate = platform.rateLimits ? generalRateLimit(platform) : undefined;
  // Asking for the body stream makes @hono/node-server build a whole Fetch Request per request
  // and skip its direct body read. A declared Content-Length within the limit needs no counting
  // (Node's parser delivers no byte past it). The rest are counted.
  const declaredWithinLimit = (c: Context) => {
    const length = c.req.header('content-length');
    return length !== undefined && c.req.header('transfer-encoding') === undefined && Number(length) <= MAX_BODY_BYTES;
  };
  // A multipart body (an upload) has a larger limit, RECEIPT_MAX_BYTES: one declared over it is
  // refused here, unread; the route that takes uploads counts the rest as they stream in
  // (core/http/upload.ts), and any other route answers 415 without reading it.
  const uploadLimit = platform.config.RECEIPT_MAX_BYTES;
  // Then, within that limit, the body's type, its encoding and X-Device-Id; after the answer, a
  // write that went through ends a fault. Plain calls, not middleware: each layer of Hono's
  // compose is a closure and a promise more on every write.
  const checkWrite = async (c: Context<AppEnv>, next: Next) => {
    checkBodyType(c);
    await readUtf8Json(c);
    readDeviceId(c);
    await next();
    noteRecovery(c);
  };
  const bodyGuards = (c: Context<AppEnv>, next: Next): Promise<void> => {
    if (isMultipart(c)) {
      refuseDeclaredOver(c, uploadLimit);
      return checkWrite(c, next);
    }
    if (declaredWithinLimit(c)) return checkWrite(c, next);
    // The limit answers nothing itself: over it, its onError throws.
    return limitBody(c, () => checkWrite(c, next)) as Promise<void>;
  };
  // Every /api request, in this order: CORS, the request context, the general rate limit, the
  // URL's length, and for a write its body. One middleware whose steps call each other: each
  // layer of Hono's compose is a closure and a promise more per request. A GET or HEAD has no
  // body to check.
  app.use('/api/*', (c, next) => {
    const checked = () => {
      checkUrlLength(c);
      return c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : bodyGuards(c, next);
    };
    // Hono's contextStorage answers nothing itself (Promise<void>): what answers is down the chain.
    const inContext = () => storeContext(c, limitRate ? async () => void (await limitRate(c, checked)) : checked) as Promise<void>;
    if (c.req.header('origin') !== undefined) return corsFor(c, inContext);
    setHeaders(c, VARY_ORIGIN);
    return inContext();
  });
  app.onError(errorHandler);
  app.notFound(notFoundHandler);

  const routePolicies = new Map<string, PolicyName[]>();
  const routeAuth = new Map<string, RouteAuth>();
  for (const rule of coreRetentionRules) platform.retention.add(rule);
  platform.jobs.add(retentionJob);
  for (const plugin of ordered) {
    // Dependencies load first, so a provider's services exist before any user of them is built.
    for (const [name, build] of Object.entries(plugin.provides ?? {})) {
      Object.assign(platform.services, { [name]: (build as (platform: Platform) => unknown)(platform) });
    }
    const router = createRouter();
    notePolicies(router, `/api/${plugin.name}`, routePolicies);
    applyRouteAuth(router, `/api/${plugin.name}`, routeAuth);
    plugin.routes?.(router);
    app.route(`/api/${plugin.name}`, router);
    for (const job of plugin.jobs ?? []) platform.jobs.add(job);
    for (const rule of plugin.retention ?? []) platform.retention.add(rule);
    // Each listener is typed by its event in PluginListeners; here they are only passed on.
    const listeners = Object.entries(plugin.on ?? {}) as [EventName, (payload: unknown, platform: Platform) => Promise<void> | void][];
    for (const [event, listener] of listeners) platform.events.on(event, (payload) => listener(payload, platform));
  }

  // A check that load balancers make many times a second needs no query each time: a probe
  // that passed within the last second stands, unless a request has met a fault since.
  let lastPassed = -Infinity;
  const probeStands = () => !platform.faults.current() && performance.now() - lastPassed < PROBE_TTL_MS;
  const probeDatabase = async (): Promise<DatabaseFault | null> => {
    try {
      await platform.db.run(ping);
      lastPassed = performance.now();
      return null;
    } catch (err) {
      const fault = databaseFault(err) ?? 'DATABASE_UNAVAILABLE';
      platform.faults.seen(fault, err);
      return fault;
    }
  };

  let healthy: { jobs: unknown; body: string } | undefined;
  app.openapi(healthRoute, async (c) => {
    const { faults } = platform;
    const probe = probeStands() ? null : await probeDatabase();
    // The database answers again: an earlier "unreachable" is over.
    if (!probe && faults.current() === 'DATABASE_UNAVAILABLE') faults.recovered();
    const cause = probe ?? faults.current();
    // Cached in the dispatcher: one read of the job runs per few seconds, not one per check;
    // none while the database is in trouble (what this process knows, and the last read).
    const jobs = await platform.jobs.status({ read: !cause });
    if (!cause) {
      // The job list is the same array until a run changes it: its answer is serialised once.
      if (healthy?.jobs !== jobs) healthy = { jobs, body: JSON.stringify({ status: 'ok', version: API_VERSION, database: 'ok', jobs }) };
      return rawJson<z.infer<typeof Health>>(c, healthy.body, 200);
    }
    const database = probe === 'DATABASE_UNAVAILABLE' ? 'unreachable' : 'ok';
    c.header('Retry-After', String(retryAfter[cause]));
    return c.json({ status: 'degraded', version: API_VERSION, database, cause, jobs } as const, 503);
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    // owasp:api2:2023-jwt-best-practices asks the description to name RFC8725; what it says is
    // what core/auth/jwt.ts and core/config.ts do.
    description:
      'The token from register or login: a JWS signed with HS256, handled as RFC8725 (JWT Best Current Practices) advises. The algorithm is pinned (a token naming any other, `none` included, is refused), issuer and audience are verified, every token expires (`exp`: JWT_EXPIRE, 7 days by default) and in production the HMAC key is at least 256 bits.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', API_KEY_SCHEME, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: `${API_KEY_PREFIX}…`,
    description: `An API key from POST /api/keys, sent as \`Authorization: Bearer ${API_KEY_PREFIX}…\`. It has scopes, \`<resource>:read\` or \`<resource>:write\` (${SCOPE_RESOURCES.join(', ')}); each operation lists the one it needs, and a key without it gets 403 \`MISSING_SCOPE\`. Operations that list no scope (account, sessions, two-factor, the keys themselves) take a user's token only. An expired or deleted key is 401 at once.`,
  });
  const documentConfig = {
    openapi: '3.1.0',
    info: {
      title: 'ExpenseFlow API',
      version: API_VERSION,
      description:
        'Accounts, expenses in many currencies, exchange rates and more. Errors share one shape: `Error`. Every answer carries `Request-Id` (and `X-Request-Id`, for older clients); error bodies repeat it as `requestId`. Every authenticated write takes an `Idempotency-Key`.',
      license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
    },
    // Every deployment (production, staging, a local one) serves this same document: the one
    // server is whichever answered, and it is public (x-internal: false).
    servers: [
      {
        url: '/',
        description: 'The deployment that serves this document, whether production, staging or local',
        'x-internal': false,
      },
    ],
    tags: [
      { name: 'platform', description: 'Health of the service' },
      ...ordered.map((p) => ({ name: p.name, description: p.description })),
    ],
  };
  // Built once, at the first request for it: the routes do not change after boot.
  let document: unknown;
  app.get('/openapi.json', (c) => c.json((document ??= documentRateLimits(documentRouteAuth(documentBodyGuards(app.getOpenAPI31Document(documentConfig)), routeAuth), routePolicies))));
  app.route('/docs', docsRoutes(options.docsScript));
  return app;
}
