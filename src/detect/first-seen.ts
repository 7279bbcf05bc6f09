// First sightings: the registered domain of a DNS query, the MAC address of a DHCP client. The first
// time a tenant sees one, the event gets `vigil.new: [<key>]`, which rules match ("DNS to a newly seen
// domain", "DHCP lease to an unknown MAC"). Until a tenant has been watched for the learning period
// everything is new, so nothing is marked then. Sightings are committed with the batch (table
// first_seen) and reloaded at start-up; memory is bounded per tenant and key (oldest forgotten first).
import { getPath, type EcsDoc } from '../core/event.js';

export interface Sighting {
  tenant: string;
  key: string;
  value: string;
  time: number;
}

interface Tracked {
  key: string;
  read(doc: EcsDoc): string | null;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);

/** The registered domain: ECS's field when the source filled it, else the last two labels. */
function registeredDomain(doc: EcsDoc): string | null {
  const given = str(getPath(doc, 'dns.question.registered_domain'));
  if (given) return given.toLowerCase();
  const name = str(getPath(doc, 'dns.question.name'));
  if (!name) return null;
  const labels = name.toLowerCase().replace(/\.$/, '').split('.');
  return labels.length >= 2 ? labels.slice(-2).join('.') : null;
}

export const TRACKED: readonly Tracked[] = [
  { key: 'dns.domain', read: registeredDomain },
  { key: 'dhcp.mac', read: (d) => (getPath(d, 'dhcp.message_type') !== undefined || getPath(d, 'dhcp.lease.duration') !== undefined ? str(getPath(d, 'client.mac')) ?? str(getPath(d, 'source.mac')) : null) },
];

export class FirstSeen {
  private readonly seen = new Map<string, Map<string, number>>();
  /** When each tenant was first watched (its learning period starts then). */
  private readonly since = new Map<string, number>();

  constructor(
    private readonly learningMs: number,
    private readonly maxPerKey = 200_000,
  ) {}

  restore(rows: Sighting[], since: Map<string, number>): void {
    for (const [t, ms] of since) this.since.set(t, ms);
    for (const r of rows) this.map(r.tenant, r.key).set(r.value, r.time);
  }

  /** Marks first sightings on the event; returns them to be committed. */
  mark(tenant: string, doc: EcsDoc, now: number): Sighting[] {
    let start = this.since.get(tenant);
    const out: Sighting[] = [];
    if (start === undefined) {
      start = now;
      this.since.set(tenant, now);
      out.push({ tenant, key: '_since', value: '', time: now });
    }
    const learning = now - start < this.learningMs;
    const marks: string[] = [];
    for (const t of TRACKED) {
      const value = t.read(doc);
      if (value === null) continue;
      const m = this.map(tenant, t.key);
      if (m.has(value)) continue;
      m.set(value, now);
      if (m.size > this.maxPerKey) m.delete(m.keys().next().value!);
      out.push({ tenant, key: t.key, value, time: now });
      if (!learning) marks.push(t.key);
    }
    if (marks.length) ((doc.vigil ??= {}) as EcsDoc).new = marks;
    return out;
  }

  private map(tenant: string, key: string): Map<string, number> {
    const k = `${tenant}\u0000${key}`;
    let m = this.seen.get(k);
    if (!m) this.seen.set(k, (m = new Map()));
    return m;
  }
}
