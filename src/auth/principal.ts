// Who is calling, and which tenant a request may touch. The tenant is decided here, once, at the edge,
// and passed explicitly to everything downstream.
import type { Scope } from '../config/schema.js';
import { PLATFORM_TENANT } from '../config/schema.js';
import { VigilError } from '../core/errors.js';
import type { TokenInfo } from './tokens.js';

export type Principal = TokenInfo;

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

export function requireScope(p: Principal, allowed: readonly Scope[]): void {
  if (!allowed.includes(p.scope)) {
    throw new VigilError('forbidden', `this endpoint needs a token with scope ${allowed.join(' or ')}; yours is ${p.scope}`);
  }
}

/**
 * The tenant a request acts on. A read or ingest token acts on its own tenant only; an admin token may
 * name any existing tenant (and alone may read the reserved platform tenant).
 */
export function resolveTenant(p: Principal, requested: string | undefined, exists: (t: string) => boolean): string {
  const tenant = requested ?? p.tenant;
  if (p.scope !== 'admin' && tenant !== p.tenant) {
    throw new VigilError('forbidden', `your token belongs to tenant "${p.tenant}" and cannot act on "${tenant}"`);
  }
  if (tenant === PLATFORM_TENANT && p.scope !== 'admin') {
    throw new VigilError('forbidden', `tenant "${PLATFORM_TENANT}" is readable by admin tokens only`);
  }
  if (!exists(tenant)) throw new VigilError('not_found', `no tenant named "${tenant}"`);
  return tenant;
}
