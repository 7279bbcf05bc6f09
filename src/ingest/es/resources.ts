// What shippers install at start-up and then check for: index and component templates, legacy templates,
// ILM policies, ingest pipelines, data streams. Vigil does not use any of them (parsers and retention are
// its own), but a shipper that cannot install them, or that is told a template it just put is missing,
// does not start cleanly. So they are acknowledged and kept in memory, per tenant, until restart: a
// shipper that reconnects after a Vigil restart finds them missing and installs them again, as it
// would on a new cluster.

export type ResourceKind = 'index_template' | 'component_template' | 'template' | 'ilm_policy' | 'pipeline' | 'data_stream';

interface Stored {
  body: unknown;
  bytes: number;
  version: number;
  modified: string;
}

export interface Found {
  name: string;
  body: unknown;
  version: number;
  modified: string;
}

export interface ResourceLimits {
  /** Bytes of stored bodies per tenant; the oldest are dropped beyond it. */
  maxBytesPerTenant: number;
  /** Stored resources per tenant; the oldest are dropped beyond it. */
  maxEntriesPerTenant: number;
}

export const DEFAULT_RESOURCE_LIMITS: ResourceLimits = { maxBytesPerTenant: 16 * 1024 * 1024, maxEntriesPerTenant: 2000 };

function globToRegExp(glob: string): RegExp {
  return new RegExp('^' + glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}

export class ResourceStore {
  private readonly tenants = new Map<string, { entries: Map<string, Stored>; bytes: number }>();

  constructor(private readonly limits: ResourceLimits = DEFAULT_RESOURCE_LIMITS) {}

  private space(tenant: string) {
    let s = this.tenants.get(tenant);
    if (!s) {
      s = { entries: new Map(), bytes: 0 };
      this.tenants.set(tenant, s);
    }
    return s;
  }

  put(tenant: string, kind: ResourceKind, name: string, body: unknown, bytes: number): void {
    const s = this.space(tenant);
    const key = `${kind}/${name}`;
    const old = s.entries.get(key);
    if (old) {
      s.bytes -= old.bytes;
      s.entries.delete(key);
    }
    s.entries.set(key, { body, bytes, version: (old?.version ?? 0) + 1, modified: new Date().toISOString() });
    s.bytes += bytes;
    // Map order is insertion order: the first entries are the oldest.
    for (const [k, v] of s.entries) {
      if (s.bytes <= this.limits.maxBytesPerTenant && s.entries.size <= this.limits.maxEntriesPerTenant) break;
      if (k === key) continue;
      s.entries.delete(k);
      s.bytes -= v.bytes;
    }
  }

  delete(tenant: string, kind: ResourceKind, name: string): boolean {
    const s = this.tenants.get(tenant);
    const key = `${kind}/${name}`;
    const old = s?.entries.get(key);
    if (!s || !old) return false;
    s.entries.delete(key);
    s.bytes -= old.bytes;
    return true;
  }

  /**
   * The resources an Elasticsearch name expression selects: comma-separated names, each exact or with
   * `*`. `missing` lists exact names that are not there (a wildcard that matches nothing is no error).
   */
  find(tenant: string, kind: ResourceKind, expression: string | undefined): { found: Found[]; missing: string[] } {
    const entries = this.tenants.get(tenant)?.entries;
    const prefix = `${kind}/`;
    const all: Found[] = [];
    for (const [k, v] of entries ?? []) {
      if (k.startsWith(prefix)) all.push({ name: k.slice(prefix.length), body: v.body, version: v.version, modified: v.modified });
    }
    if (expression === undefined || expression === '' || expression === '_all' || expression === '*') return { found: all, missing: [] };
    const found = new Map<string, Found>();
    const missing: string[] = [];
    for (const part of expression.split(',')) {
      if (part.includes('*')) {
        const re = globToRegExp(part);
        for (const f of all) if (re.test(f.name)) found.set(f.name, f);
      } else {
        const f = all.find((x) => x.name === part);
        if (f) found.set(f.name, f);
        else missing.push(part);
      }
    }
    return { found: [...found.values()], missing };
  }
}
