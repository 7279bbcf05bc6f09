// Tokens: one tenant, one scope. Only SHA-256 hashes are kept in memory and on disk; a presented
// secret is hashed and compared against every known hash in constant time, so neither the comparison
// nor an early exit leaks how much of a secret was right.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Scope } from '../config/schema.js';

export interface TokenInfo {
  id: string;
  tenant: string;
  scope: Scope;
  /** Where it came from: the config file, created at run time, or the first-start admin token. */
  origin: 'config' | 'runtime' | 'bootstrap';
}

interface Stored extends TokenInfo {
  hash: Buffer;
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** A token id that names the token in audit events without revealing it. */
export function tokenId(hash: Buffer): string {
  return 'tok_' + hash.subarray(0, 6).toString('hex');
}

export function newSecret(): string {
  return 'vgl_' + randomBytes(24).toString('base64url');
}

export class TokenStore {
  private tokens: Stored[] = [];

  add(hash: Buffer, tenant: string, scope: Scope, origin: TokenInfo['origin']): TokenInfo {
    const info: Stored = { id: tokenId(hash), tenant, scope, origin, hash };
    if (!this.tokens.some((t) => t.hash.equals(hash))) this.tokens.push(info);
    return { id: info.id, tenant, scope, origin };
  }

  addSecret(secret: string, tenant: string, scope: Scope, origin: TokenInfo['origin']): TokenInfo {
    return this.add(hashSecret(secret), tenant, scope, origin);
  }

  verify(secret: string): TokenInfo | null {
    const h = hashSecret(secret);
    let found: Stored | null = null;
    for (const t of this.tokens) {
      // No early exit: every hash is compared whatever matched before.
      if (timingSafeEqual(t.hash, h) && found === null) found = t;
    }
    return found ? { id: found.id, tenant: found.tenant, scope: found.scope, origin: found.origin } : null;
  }

  remove(id: string): boolean {
    const before = this.tokens.length;
    this.tokens = this.tokens.filter((t) => t.id !== id);
    return this.tokens.length < before;
  }

  list(tenant?: string): TokenInfo[] {
    return this.tokens
      .filter((t) => tenant === undefined || t.tenant === tenant)
      .map(({ id, tenant: tn, scope, origin }) => ({ id, tenant: tn, scope, origin }));
  }
}
