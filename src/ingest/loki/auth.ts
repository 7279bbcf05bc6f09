// Who may push, and into which tenant, in the shapes Loki clients send (CONTRACT section 3). Vigil's auth
// hook (src/http/server.ts) verifies the token this finds and checks its scope; this file only reads it
// and the tenant header.
//   Authorization: Bearer <token>            Promtail/Alloy bearer_token, Vector auth.strategy bearer
//   Authorization: Basic base64(user:token)  Promtail/Alloy basic_auth, Fluent Bit http_user/http_passwd:
//                                            the password is the token (the user, when there is no password)
//   X-Scope-OrgID: <tenant>                  Loki's tenant header (Promtail tenant_id, Fluent Bit tenant_id)
// The header names the tenant; without it the token's own. A token may name only its own tenant; an admin
// token any existing one. Loki's multi-tenant form "a|b" is for queries; a push goes to one tenant.
import type { FastifyRequest } from 'fastify';
import { VigilError } from '../../core/errors.js';
import { resolveTenant, type Principal } from '../../auth/principal.js';

export function lokiToken(req: FastifyRequest): string | null {
  const m = /^\s*(Bearer|Basic)\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m) return null;
  if (m[1]!.toLowerCase() === 'bearer') return m[2]!;
  const decoded = Buffer.from(m[2]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return null;
  return decoded.slice(colon + 1) || decoded.slice(0, colon) || null;
}

/** The tenant a push goes to: X-Scope-OrgID when sent, else the token's. */
export function lokiTenant(p: Principal, orgId: string | string[] | undefined, exists: (t: string) => boolean): string {
  const named = (Array.isArray(orgId) ? orgId.join(',') : orgId)?.trim();
  if (!named) return resolveTenant(p, undefined, exists);
  if (/[|,]/.test(named)) {
    throw new VigilError('bad_request', `X-Scope-OrgID "${named}" names more than one tenant; a push goes to one`, { header: 'X-Scope-OrgID' });
  }
  return resolveTenant(p, named, exists);
}
