// Tenants and tokens known to this server: those from the config file, plus those created at run time
// (`vigil tenants create`, `vigil token create`), which persist in DATA_DIR/state.json (hashes only).
import { existsSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { writeFileAtomicSync } from '../core/atomic-file.js';
import { join } from 'node:path';
import { PLATFORM_TENANT, TENANT_NAME, type Config, type Scope, type TenantConfig } from '../config/schema.js';
import { TokenStore, hashSecret, newSecret, type TokenInfo } from '../auth/tokens.js';
import { VigilError } from '../core/errors.js';

export interface Tenant {
  name: string;
  kind: 'tenant' | 'platform';
  hosted_on?: string;
  retention_days: number;
  not_applicable: { id: string; reason: string }[];
  provides: string[];
  origin: 'config' | 'runtime' | 'builtin';
}

interface StateFile {
  tenants: { name: string; kind: 'tenant' | 'platform'; retention_days: number; hosted_on?: string }[];
  tokens: { hash: string; tenant: string; scope: Scope; origin: 'runtime' | 'bootstrap' }[];
}

function fromConfig(t: TenantConfig): Tenant {
  const out: Tenant = {
    name: t.name,
    kind: t.kind,
    retention_days: t.retention_days,
    not_applicable: t.not_applicable,
    provides: t.provides,
    origin: 'config',
  };
  if (t.hosted_on !== undefined) out.hosted_on = t.hosted_on;
  return out;
}

export class TenantRegistry {
  readonly tokens = new TokenStore();
  private tenants = new Map<string, Tenant>();
  private state: StateFile = { tenants: [], tokens: [] };
  private readonly statePath: string;

  constructor(
    private readonly dataDir: string,
    config: Config,
  ) {
    this.statePath = join(dataDir, 'state.json');
    const configured = config.tenants ?? [
      { name: 'default', kind: 'tenant' as const, retention_days: 30, not_applicable: [], provides: [], tokens: [] },
    ];
    for (const t of configured) {
      this.tenants.set(t.name, fromConfig(t));
      for (const tok of t.tokens) this.tokens.addSecret(tok.secret, t.name, tok.scope, 'config');
    }
    // Vigil's own audit events live here; only admins read them.
    this.tenants.set(PLATFORM_TENANT, {
      name: PLATFORM_TENANT,
      kind: 'tenant',
      retention_days: 365,
      not_applicable: [],
      provides: [],
      origin: 'builtin',
    });
    if (existsSync(this.statePath)) this.state = JSON.parse(readFileSync(this.statePath, 'utf8')) as StateFile;
    for (const t of this.state.tenants) {
      if (!this.tenants.has(t.name)) {
        const tenant: Tenant = { ...t, not_applicable: [], provides: [], origin: 'runtime' };
        this.tenants.set(t.name, tenant);
      }
    }
    for (const tok of this.state.tokens) {
      if (this.tenants.has(tok.tenant)) this.tokens.add(Buffer.from(tok.hash, 'hex'), tok.tenant, tok.scope, tok.origin);
    }
  }

  /**
   * First start: creates the admin token and writes it to DATA_DIR/admin.token (0600). Later starts
   * keep it. Returns the path and whether it was created now.
   */
  ensureAdminToken(): { path: string; created: boolean } {
    const path = join(this.dataDir, 'admin.token');
    if (existsSync(path)) {
      const secret = readFileSync(path, 'utf8').trim();
      if (!this.tokens.verify(secret)) {
        // The file survived but the state did not (e.g. state.json removed): trust the file's owner.
        this.recordToken(hashSecret(secret), this.bootstrapTenant(), 'admin', 'bootstrap');
      }
      return { path, created: false };
    }
    const secret = newSecret();
    this.recordToken(hashSecret(secret), this.bootstrapTenant(), 'admin', 'bootstrap');
    writeFileSync(path, secret + '\n', { mode: 0o600 });
    chmodSync(path, 0o600);
    return { path, created: true };
  }

  private bootstrapTenant(): string {
    return this.tenants.has('default') ? 'default' : PLATFORM_TENANT;
  }

  get(name: string): Tenant | undefined {
    return this.tenants.get(name);
  }

  list(): Tenant[] {
    return [...this.tenants.values()];
  }

  create(name: string, opts: { kind?: 'tenant' | 'platform'; retention_days?: number; hosted_on?: string }): Tenant {
    if (!TENANT_NAME.test(name)) throw new VigilError('bad_request', `invalid tenant name "${name}": lowercase letters, digits, "-" and "_"`);
    if (this.tenants.has(name)) throw new VigilError('conflict', `tenant "${name}" already exists`);
    if (opts.hosted_on !== undefined && this.tenants.get(opts.hosted_on)?.kind !== 'platform')
      throw new VigilError('bad_request', `hosted_on: "${opts.hosted_on}" is not a platform tenant`);
    const row: StateFile['tenants'][number] = { name, kind: opts.kind ?? 'tenant', retention_days: opts.retention_days ?? 30 };
    if (opts.hosted_on !== undefined) row.hosted_on = opts.hosted_on;
    this.state.tenants.push(row);
    this.save();
    const t: Tenant = { ...row, not_applicable: [], provides: [], origin: 'runtime' };
    this.tenants.set(name, t);
    return t;
  }

  /** Creates a token; the secret is returned once and never stored. */
  createToken(tenant: string, scope: Scope): { secret: string; info: TokenInfo } {
    if (!this.tenants.has(tenant)) throw new VigilError('not_found', `no tenant named "${tenant}"`);
    const secret = newSecret();
    const info = this.recordToken(hashSecret(secret), tenant, scope, 'runtime');
    return { secret, info };
  }

  revokeToken(id: string): boolean {
    const before = this.state.tokens.length;
    this.state.tokens = this.state.tokens.filter((t) => !hashMatchesId(t.hash, id));
    if (this.state.tokens.length !== before) this.save();
    return this.tokens.remove(id);
  }

  private recordToken(hash: Buffer, tenant: string, scope: Scope, origin: 'runtime' | 'bootstrap'): TokenInfo {
    this.state.tokens.push({ hash: hash.toString('hex'), tenant, scope, origin });
    this.save();
    return this.tokens.add(hash, tenant, scope, origin);
  }

  private save(): void {
    // Token hashes: readable by the owner only.
    writeFileAtomicSync(this.statePath, JSON.stringify(this.state, null, 2), 0o600);
  }
}

function hashMatchesId(hashHex: string, id: string): boolean {
  return 'tok_' + hashHex.slice(0, 12) === id;
}
