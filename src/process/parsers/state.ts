// Bounded per-tenant memory for parsers that join related lines. Entries expire after `ttlMs` and the
// oldest go first past `maxEntries`, so a flood of unmatched lines cannot grow memory.
export class ParserState {
  private readonly map = new Map<string, { value: unknown; at: number }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  get<T>(key: string, now = Date.now()): T | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (now - e.at > this.ttlMs) {
      this.map.delete(key);
      return undefined;
    }
    return e.value as T;
  }

  set(key: string, value: unknown, now = Date.now()): void {
    this.map.delete(key); // re-insert at the end: Map keeps insertion order, oldest first
    this.map.set(key, { value, at: now });
    while (this.map.size > this.maxEntries) this.map.delete(this.map.keys().next().value!);
  }

  take<T>(key: string, now = Date.now()): T | undefined {
    const v = this.get<T>(key, now);
    this.map.delete(key);
    return v;
  }

  get size(): number {
    return this.map.size;
  }
}

/**
 * One ParserState per (parser, tenant), created on first use. Looked up on every parse attempt, so
 * it is two Map reads and no string building.
 */
export class ParserStates {
  private readonly byTenant = new Map<string, Map<string, ParserState>>();
  for(parser: string, tenant: string): ParserState {
    let states = this.byTenant.get(tenant);
    if (!states) this.byTenant.set(tenant, (states = new Map()));
    let s = states.get(parser);
    if (!s) states.set(parser, (s = new ParserState()));
    return s;
  }
}
