// HEC authentication on top of Vigil's own hook (src/http/server.ts): this file only finds the token in
// the shapes HEC senders use and turns the hook's refusal into Splunk's code. The hook has already
// verified the token, checked its scope and written the audit event.
//   Authorization: Splunk <token>         what every HEC client sends
//   Authorization: Bearer <token>         Vigil's own scheme
//   Authorization: Basic base64(x:<token>) curl -u x:<token>; Splunk takes the password as the token
// ?token= is Splunk's query-string authorization, off by default in Splunk and never on here (it puts
// the secret in URLs and logs): code 16.
import type { FastifyRequest } from 'fastify';
import { VigilError } from '../../core/errors.js';
import { HecError } from './replies.js';

export function hecToken(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^(Splunk|Bearer|Basic)\s+(\S+)\s*$/i.exec(h);
  if (!m) return null;
  if (m[1]!.toLowerCase() !== 'basic') return m[2]!;
  const decoded = Buffer.from(m[2]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const secret = colon === -1 ? '' : decoded.slice(colon + 1);
  return secret || null;
}

function queryToken(req: FastifyRequest): boolean {
  const q = req.query as Record<string, unknown> | undefined;
  return q !== undefined && q !== null && typeof q === 'object' && 'token' in q;
}

/**
 * Splunk's answer for a refusal from the auth hook: no credentials 401/2, credentials in a shape HEC
 * does not know 401/3, a token only in the query string 400/16, a token Vigil does not know 403/4, and a
 * known token whose scope may not send (read) 403/4 as well: for a HEC client it is not a HEC token.
 */
export function authRefusal(err: VigilError, req: FastifyRequest): HecError | null {
  if (err.code === 'forbidden') return new HecError('invalid_token');
  if (err.code !== 'unauthorized') return null;
  if (hecToken(req) !== null) return new HecError('invalid_token');
  if (req.headers.authorization) return new HecError('invalid_authorization');
  if (queryToken(req)) return new HecError('query_auth_disabled');
  return new HecError('token_required');
}
