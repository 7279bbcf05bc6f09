// The HTTP server shared by the ingest endpoints and the API. Authentication is one hook: every route
// declares the scopes it accepts in its config (`config: { scopes: [...] }`), or `public: true` for the
// few that must answer without a token (health). A route with neither is refused, so no endpoint can be
// added without deciding who may call it.
import Fastify, { LogController, type FastifyInstance, type FastifyRequest, type FastifyError, type FastifyBaseLogger } from 'fastify';
import type { Scope } from '../config/schema.js';
import { VigilError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { Metrics } from '../core/metrics.js';
import type { AuditLog } from '../auth/audit.js';
import { bearerToken, requireScope, type Principal } from '../auth/principal.js';
import type { TokenStore } from '../auth/tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    scopes?: readonly Scope[];
    public?: boolean;
    /** Extracts the token from a shipper's native auth header when it is not a Bearer token. */
    token?: (req: FastifyRequest) => string | null;
  }
}

export interface HttpServerDeps {
  tokens: TokenStore;
  audit: AuditLog;
  metrics: Metrics;
  log: Logger;
  bodyLimit: number;
}

export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new VigilError('unauthorized', 'no authenticated principal');
  return req.principal;
}

export function buildHttpServer(deps: HttpServerDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    // Per-request lines would drown Vigil's own log at ingest rates; errors are logged by the handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.bodyLimit,
    trustProxy: false,
    // Slow senders must not hold a request open forever.
    requestTimeout: 120_000,
    connectionTimeout: 0,
    keepAliveTimeout: 65_000,
  });
  app.decorateRequest('principal', null);

  app.addHook('onRequest', async (req) => {
    const cfg = req.routeOptions.config;
    if (cfg.public) return;
    if (!cfg.scopes) {
      // Unknown routes fall through to the not-found handler without revealing anything.
      if (req.routeOptions.url === undefined) return;
      throw new VigilError('forbidden', 'this endpoint accepts no token');
    }
    const secret = (cfg.token ? cfg.token(req) : null) ?? bearerToken(req.headers.authorization);
    const base = { sourceIp: req.ip, method: req.method, path: req.routeOptions.url ?? req.url.split('?')[0]! };
    if (!secret) {
      deps.metrics.authFailures.inc({ reason: 'missing' });
      deps.audit.auth({ ...base, outcome: 'failure', reason: 'no token' });
      throw new VigilError('unauthorized', 'missing token: send "Authorization: Bearer <token>"');
    }
    const p = deps.tokens.verify(secret);
    if (!p) {
      deps.metrics.authFailures.inc({ reason: 'invalid' });
      deps.audit.auth({ ...base, outcome: 'failure', reason: 'unknown token' });
      throw new VigilError('unauthorized', 'invalid token');
    }
    const who = { tokenId: p.id, tokenTenant: p.tenant, scope: p.scope };
    try {
      requireScope(p, cfg.scopes);
    } catch (err) {
      deps.metrics.authFailures.inc({ reason: 'scope' });
      deps.audit.auth({ ...base, ...who, outcome: 'failure', reason: `scope ${p.scope} not allowed` });
      throw err;
    }
    deps.audit.auth({ ...base, ...who, outcome: 'success' });
    req.principal = p;
  });

  app.setErrorHandler((err: FastifyError | VigilError, req, reply) => {
    const ve = toVigilError(err, deps.bodyLimit);
    if (ve.status >= 500) req.log.error({ err }, 'request failed');
    if (ve.code === 'overloaded') void reply.header('retry-after', '1');
    void reply.status(ve.status).send(ve.toJSON());
  });
  app.setNotFoundHandler((req, reply) => {
    const e = new VigilError('not_found', `no endpoint ${req.method} ${req.url.split('?')[0]}`);
    void reply.status(404).send(e.toJSON());
  });
  return app;
}

/** Maps Fastify's own errors onto the catalogue so every error body has one shape. */
export function toVigilError(err: FastifyError | VigilError | Error, bodyLimit?: number): VigilError {
  if (err instanceof VigilError) return err;
  const code = (err as FastifyError).code;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new VigilError('payload_too_large', `request body is larger than the limit of ${bodyLimit ?? '?'} bytes`, { limit_bytes: bodyLimit });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new VigilError('unsupported_media_type', err.message);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_VALIDATION':
      return new VigilError('bad_request', err.message);
  }
  const status = (err as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) return new VigilError('bad_request', err.message);
  return new VigilError('internal', 'internal error');
}
