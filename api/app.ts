/**
 * The express app, built from its dependencies and not listening: the server module listens, tests drive it
 * in-process or over a real port.
 */
import express, { type RequestHandler } from 'express';
import cors from 'cors';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { dirname } from 'node:path';
import type { RateLimitRepository, Store } from '../store';
import { SharedRateLimitStore } from './rate-limit-store';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Actor } from '../domain/authz';
import { authenticate } from './auth';
import { consoleRoutes } from './console';
import { buildOpenApi } from './openapi';
import { HttpProblem, notFoundHandler, problemMiddleware, sendProblem } from './problems';
import { documentRoutes } from './routes/documents';
import { notificationRoutes } from './routes/notifications';
import { adminRoutes } from './routes/admin';
import { policyEventRoutes } from './routes/policy-events';
import { devRoutes } from './routes/dev';
import { consoleConfigRoutes } from './routes/console-config';
import type { OidcConfig } from '../config';
import { policyRoutes } from './routes/policy';
import { transferRoutes } from './routes/transfers';
import type { TransferGateway } from './temporal';

export interface AppDeps {
  gateway: TransferGateway;
  store: Store;
  verify: (token: string) => Promise<Actor>;
  logger: Logger;
  now?: () => number;
  /** browser origins allowed to call the API (CORS is off when empty) */
  corsOrigins?: readonly string[];
  /** the payload codec of the workers, for the Temporal Web UI's codec endpoint (POST /codec/decode|encode) */
  codec?: PayloadCodec;
  /** origins of the Temporal Web UI allowed to call the codec endpoint from the browser */
  codecOrigins?: readonly string[];
  /** requests per minute: per identity (after authentication) and per client address */
  rateLimit?: { perIdentity: number; perIp: number };
  /**
   * counters shared with the other API processes (the store's, on PostgreSQL: api/server.ts passes them when
   * XBORDER_DATABASE_URL is set); absent: counted in this process's memory
   */
  rateLimitCounters?: RateLimitRepository;
  /** the built web console (console/dist), served at / when it holds an index.html */
  consoleDir?: string;
  /** dev mode only: mints tokens for the console's "Sign in as" (POST /v1/dev/token); absent → 404 */
  devTokens?: (actor: Actor, ttlSeconds: number) => Promise<string>;
  /** the console's "Sign in with your organisation" (GET /v1/console/config tells the console) */
  oidc?: OidcConfig;
}

/** 429 as problem+json with Retry-After (seconds until the window resets). */
function limiter(
  perMinute: number,
  key: (req: express.Request) => string,
  shared: { counters: RateLimitRepository; prefix: string } | undefined,
) {
  return rateLimit({
    windowMs: 60_000,
    ...(shared ? { store: new SharedRateLimitStore(shared.counters, shared.prefix) } : {}),
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: key,
    handler: (req, res) => {
      const resetTime = (req as express.Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : 60;
      sendProblem(
        res,
        new HttpProblem(
          'rate-limited',
          `more than ${perMinute} requests a minute; retry later`,
          undefined,
          seconds,
        ),
        req.originalUrl,
      );
    },
  });
}

/** JSON bodies only (documents have their own route): anything else with a body is a 415. */
const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = Number(req.get('Content-Length') ?? 0) > 0 || req.get('Transfer-Encoding') !== undefined;
  if (hasBody && !req.is('application/json'))
    throw new HttpProblem('unsupported-media-type', 'send application/json');
  next();
};

export function createApp(deps: AppDeps): express.Express {
  const now = deps.now ?? Date.now;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // the console's scripts and styles are same-origin files ('self'); no upgrade-insecure-requests, so a console
  // reached over plain HTTP on a LAN address still loads its assets. With OIDC the console's scripts also talk
  // to the provider (discovery, token endpoint): its origin joins connect-src.
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          upgradeInsecureRequests: null,
          ...(deps.oidc ? { connectSrc: ["'self'", new URL(deps.oidc.issuer).origin] } : {}),
        },
      },
    }),
  );
  if (deps.corsOrigins && deps.corsOrigins.length > 0) {
    app.use(
      cors({
        origin: [...deps.corsOrigins],
        allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
        exposedHeaders: ['Location', 'Retry-After'],
      }),
    );
  }
  // no route answers OPTIONS (CORS preflights, when configured, are answered above)
  app.use((req, res, next) => {
    if (req.method !== 'OPTIONS' || req.path.startsWith('/codec/')) return next();
    sendProblem(res, new HttpProblem('method-not-allowed', 'OPTIONS is not supported'), req.originalUrl);
  });
  const limits = deps.rateLimit ?? { perIdentity: 600, perIp: 1200 };
  const shared = (prefix: string) =>
    deps.rateLimitCounters ? { counters: deps.rateLimitCounters, prefix } : undefined;
  app.use(limiter(limits.perIp, (req) => ipKeyGenerator(req.ip ?? 'unknown'), shared('ip:')));
  app.use(
    pinoHttp({
      logger: deps.logger,
      autoLogging: {
        ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics',
      },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const requests = new Counter({
    name: 'xborder_http_requests_total',
    help: 'HTTP requests',
    labelNames: ['method', 'route', 'status'],
    registers: [metrics],
  });
  const duration = new Histogram({
    name: 'xborder_http_request_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'],
    registers: [metrics],
  });
  app.use((req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const labels = { method: req.method, route: `${req.baseUrl}${route}` };
      end(labels);
      requests.inc({ ...labels, status: String(res.statusCode) });
    });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await deps.gateway.readiness();
    res.status(ready.temporal && ready.worker ? 200 : 503);
    if (!(ready.temporal && ready.worker)) res.setHeader('Retry-After', '5');
    res.json({ status: ready.temporal && ready.worker ? 'ready' : 'not ready', ...ready });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
  const openapi = buildOpenApi();
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  const swaggerDir = dirname(require.resolve('swagger-ui-dist/package.json'));
  app.get('/docs', (_req, res) => {
    res.type('html').send(`<!doctype html><html><head><meta charset="utf-8"><title>xborder API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head><body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`);
  });
  app.get('/docs/init.js', (_req, res) => {
    res.type('js').send("window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' });");
  });
  app.use('/docs/assets', express.static(swaggerDir, { index: false }));

  if (deps.codec) app.use('/codec', codecRoutes(deps.codec, deps.verify, deps.codecOrigins ?? []));

  // unauthenticated, and 404 unless dev mode is on
  app.use('/v1/console', consoleConfigRoutes({ devSignIn: !!deps.devTokens, oidc: deps.oidc }));
  app.use('/v1/dev', requireJson, express.json({ limit: '4kb', strict: true }), devRoutes(deps.devTokens));
  const v1 = express.Router();
  v1.use(authenticate(deps.verify));
  v1.use(limiter(limits.perIdentity, (req) => `${req.actor?.role}:${req.actor?.sub}`, shared('id:')));
  v1.use(documentRoutes({ store: deps.store, now }));
  v1.use(requireJson, express.json({ limit: '256kb', strict: true }));
  v1.use(transferRoutes({ gateway: deps.gateway, store: deps.store, now }));
  v1.use(policyRoutes());
  v1.use(notificationRoutes({ store: deps.store }));
  v1.use(adminRoutes({ store: deps.store, now }));
  v1.use(policyEventRoutes({ gateway: deps.gateway, store: deps.store, now }));
  app.use('/v1', v1);
  if (deps.consoleDir) app.use(consoleRoutes(deps.consoleDir));

  app.use(notFoundHandler);
  app.use(problemMiddleware);
  return app;
}

/**
 * The remote codec endpoint the Temporal Web UI (and `temporal --codec-endpoint`) calls to show encrypted
 * payloads: POST /codec/decode and /codec/encode with `{payloads: [{metadata: {k: base64}, data: base64}]}`.
 * Authenticated; reviewers and admins only (applicants and recipients see transfers through the API, scoped).
 */
const CODEC_COOKIE = 'xborder_codec';

function codecRoutes(
  codec: PayloadCodec,
  verify: (token: string) => Promise<Actor>,
  origins: readonly string[],
): express.Router {
  const r = express.Router();
  if (origins.length > 0)
    r.use(
      cors({
        origin: [...origins],
        credentials: true,
        allowedHeaders: ['Authorization', 'Content-Type', 'X-Namespace'],
      }),
    );
  // The Web UI calls with "include credentials": an operator opens /codec/session once, pastes a token, and the
  // browser keeps it in an HttpOnly, SameSite=Strict cookie scoped to /codec (never readable by scripts).
  // GET /codec itself is the console's page about this endpoint (how to set it up in the Web UI)
  r.get('/', (_req, _res, next) => next('router'));
  r.get('/session', (_req, res) => {
    res.type('html')
      .send(`<!doctype html><html><head><meta charset="utf-8"><title>xborder codec session</title></head>
<body><h1>Decode payloads in the Temporal Web UI</h1><p>Paste a reviewer or admin token (<code>npm run token -- --role admin --sub ops</code>).</p>
<form method="post" action="/codec/session"><input name="token" size="80" autocomplete="off"><button>Start session</button></form></body></html>`);
  });
  r.post('/session', express.urlencoded({ extended: false, limit: '16kb' }), async (req, res) => {
    const given = (req.body as { token?: unknown } | undefined)?.token;
    const token = typeof given === 'string' ? given.trim() : '';
    let actor: Actor;
    try {
      actor = await verify(token);
    } catch {
      throw new HttpProblem('unauthenticated', 'the token is invalid, expired, or lacks required claims');
    }
    if (actor.role !== 'reviewer' && actor.role !== 'admin')
      throw new HttpProblem('forbidden-role', 'decoded payloads are for reviewers and operators (admin)');
    res.cookie(CODEC_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/codec',
      maxAge: 8 * 3600_000,
    });
    res.type('html')
      .send(`<!doctype html><p>Codec session started for ${actor.sub}. In the Temporal Web UI, set the codec
endpoint to this server's /codec and enable "include cross-origin credentials".</p>`);
  });
  r.use(authenticate(verify, CODEC_COOKIE));
  r.use((req, _res, next) => {
    const role = req.actor?.role;
    if (role !== 'reviewer' && role !== 'admin')
      throw new HttpProblem('forbidden-role', 'decoded payloads are for reviewers and operators (admin)');
    next();
  });
  r.use(requireJson, express.json({ limit: '4mb' }));
  type Wire = { metadata?: Record<string, string>; data?: string };
  const fromWire = (p: Wire): Payload => ({
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
    ),
    data: Buffer.from(p.data ?? '', 'base64'),
  });
  const toWire = (p: Payload): Wire => ({
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [
        k,
        Buffer.from(v ?? new Uint8Array()).toString('base64'),
      ]),
    ),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  });
  for (const op of ['encode', 'decode'] as const) {
    r.post(`/${op}`, async (req, res) => {
      const body = req.body as { payloads?: unknown };
      if (!Array.isArray(body?.payloads))
        throw new HttpProblem('validation', 'send {payloads: [...]}', [
          { pointer: '/payloads', detail: 'an array' },
        ]);
      let out: Payload[];
      try {
        out = await codec[op]((body.payloads as Wire[]).map(fromWire));
      } catch {
        throw new HttpProblem('validation', `the payloads cannot be ${op}d with this key ring`);
      }
      res.json({ payloads: out.map(toWire) });
    });
  }
  return r;
}
