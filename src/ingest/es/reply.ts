// How every answer on the Elasticsearch surface is sent: JSON in the media type the client asked for
// (8.x clients ask for application/vnd.elasticsearch+json; compatible-with=8 and expect it back),
// with `?filter_path=` and `?pretty` applied.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { filterPath } from './filter-path.js';

const COMPAT = /application\/vnd\.elasticsearch\+json\s*;\s*compatible-with\s*=\s*(\d+)/i;

export function jsonMediaType(req: FastifyRequest): string {
  const m = COMPAT.exec(String(req.headers.accept ?? '')) ?? COMPAT.exec(String(req.headers['content-type'] ?? ''));
  return m ? `application/vnd.elasticsearch+json;compatible-with=${m[1]}` : 'application/json; charset=UTF-8';
}

export function query(req: FastifyRequest): Record<string, string | undefined> {
  return (req.query ?? {}) as Record<string, string | undefined>;
}

export function sendJson(req: FastifyRequest, reply: FastifyReply, status: number, body: Record<string, unknown>): FastifyReply {
  const q = query(req);
  const shown = filterPath(body, q.filter_path);
  const pretty = q.pretty !== undefined && q.pretty !== 'false';
  return reply
    .status(status)
    .header('content-type', jsonMediaType(req))
    // Bytes, not a string: Fastify would rewrite a string's media type (quoting compatible-with).
    .send(Buffer.from(pretty ? JSON.stringify(shown, null, 2) + '\n' : JSON.stringify(shown)));
}
