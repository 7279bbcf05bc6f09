// ECS dns.* building blocks shared by the DNS parsers (bind, dnsmasq, coredns, route53-resolver,
// zeek-dns). Kept in one place so every DNS source fills the same fields the same way.
import type { EcsDoc } from '../../core/event.js';
import { evidence, isIp } from './ecs.js';

export interface DnsAnswer {
  name?: string;
  type?: string;
  class?: string;
  ttl?: number;
  data?: string;
}

export interface DnsFacts {
  /** 'query' for a question seen on its own, 'answer' when the record carries the response. */
  type: 'query' | 'answer';
  id?: string;
  name?: string;
  qtype?: string;
  qclass?: string;
  rcode?: string;
  flags?: readonly string[];
  answers?: readonly DnsAnswer[];
}

/** The header flags ECS allows in dns.header_flags. */
const ECS_FLAGS = new Set(['AA', 'TC', 'RD', 'RA', 'AD', 'CD', 'DO']);
/** Answer types whose data is a domain name: the trailing root dot is dropped like the question's. */
const NAME_TYPES = new Set(['CNAME', 'PTR', 'NS', 'DNAME']);

/** A domain name as ECS shows it: without the trailing root dot ("." itself stays). */
export function dnsName(name: string): string {
  return name.length > 1 && name.endsWith('.') ? name.slice(0, -1) : name;
}

/** Upper-cased flags restricted to the ECS set, in a stable order, no duplicates. */
export function headerFlags(flags: Iterable<string>): string[] {
  const set = new Set<string>();
  for (const f of flags) {
    const u = f.trim().toUpperCase();
    if (ECS_FLAGS.has(u)) set.add(u);
  }
  return [...ECS_FLAGS].filter((f) => set.has(f));
}

/** success for NOERROR, failure for any other response code, undefined when there is none. */
export function dnsOutcome(rcode: string | undefined): 'success' | 'failure' | undefined {
  if (!rcode) return undefined;
  return rcode.toUpperCase() === 'NOERROR' ? 'success' : 'failure';
}

/** The IPv4/IPv6 address a reverse-lookup name stands for (4.3.2.1.in-addr.arpa -> 1.2.3.4). */
export function ipFromArpa(name: string): string | undefined {
  const n = dnsName(name).toLowerCase();
  if (n.endsWith('.in-addr.arpa')) {
    const parts = n.slice(0, -'.in-addr.arpa'.length).split('.');
    if (parts.length !== 4) return undefined;
    const ip = parts.reverse().join('.');
    return isIp(ip) ? ip : undefined;
  }
  if (n.endsWith('.ip6.arpa')) {
    const nibbles = n.slice(0, -'.ip6.arpa'.length).split('.');
    if (nibbles.length !== 32 || !nibbles.every((x) => /^[0-9a-f]$/.test(x))) return undefined;
    const hex = nibbles.reverse().join('');
    const ip = hex.match(/.{4}/g)!.join(':');
    return isIp(ip) ? compressV6(ip) : undefined;
  }
  return undefined;
}

/** The reverse-lookup name for an address (1.2.3.4 -> 4.3.2.1.in-addr.arpa). */
export function arpaFromIp(ip: string): string | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  if (!isIp(ip)) return undefined;
  const [head = '', tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  if (groups.length !== 8) return undefined;
  return `${groups.map((g) => g.padStart(4, '0')).join('').split('').reverse().join('.')}.ip6.arpa`;
}

function compressV6(ip: string): string {
  // Leading zeros off each group, then the longest run of zero groups becomes "::".
  const groups = ip.split(':').map((g) => g.replace(/^0+(?=.)/, ''));
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

function answerDoc(a: DnsAnswer): EcsDoc {
  const out: EcsDoc = {};
  if (a.name) out.name = dnsName(a.name);
  if (a.type) out.type = a.type;
  if (a.class) out.class = a.class;
  if (a.ttl !== undefined && Number.isFinite(a.ttl)) out.ttl = a.ttl;
  if (a.data !== undefined && a.data !== '') out.data = a.type && NAME_TYPES.has(a.type) ? dnsName(a.data) : a.data;
  return out;
}

/**
 * The dns object for a query or answer, plus related.hosts (the question name) and related.ip (resolved
 * addresses and the address a reverse lookup asks about), as Elastic's DNS integrations do.
 */
export function dnsDoc(f: DnsFacts): EcsDoc {
  const dns: EcsDoc = { type: f.type };
  if (f.id) dns.id = f.id;
  const q: EcsDoc = {};
  if (f.name) q.name = dnsName(f.name);
  if (f.qtype) q.type = f.qtype;
  if (f.qclass) q.class = f.qclass;
  if (Object.keys(q).length) dns.question = q;
  if (f.flags && f.flags.length) dns.header_flags = headerFlags(f.flags);
  if (f.rcode) dns.response_code = f.rcode.toUpperCase();
  const resolved: string[] = [];
  if (f.answers && f.answers.length) {
    dns.answers = f.answers.map(answerDoc);
    // Only address records resolve to an IP (a PTR's data is a name even when it looks like an address).
    for (const a of f.answers) {
      const addr = a.type === undefined || a.type === 'A' || a.type === 'AAAA';
      if (addr && a.data && isIp(a.data) && !resolved.includes(a.data)) resolved.push(a.data);
    }
    if (resolved.length) dns.resolved_ip = resolved;
  }
  const doc: EcsDoc = { dns };
  const related: EcsDoc = {};
  if (typeof q.name === 'string' && q.name !== '.') related.hosts = [q.name];
  const ips = [...resolved];
  const rev = typeof q.name === 'string' ? ipFromArpa(q.name) : undefined;
  if (rev && !ips.includes(rev)) ips.push(rev);
  if (ips.length) related.ip = ips;
  if (Object.keys(related).length) doc.related = related;
  return doc;
}

/** Sets source.* and client.* (the DNS client) from an address and port. */
export function setClient(doc: EcsDoc, address: string | undefined, port?: number | string): void {
  if (!address) return;
  const p = port === undefined || port === '' ? undefined : Number(port);
  const side: EcsDoc = { address };
  const client: EcsDoc = { address };
  if (isIp(address)) side.ip = client.ip = address;
  else side.domain = client.domain = address;
  if (p !== undefined && Number.isInteger(p) && p >= 0 && p <= 65535) side.port = client.port = p;
  doc.source = { ...(doc.source as EcsDoc | undefined), ...side };
  doc.client = { ...(doc.client as EcsDoc | undefined), ...client };
}

/** Sets destination.* and server.* (the DNS server that was asked) from an address and port. */
export function setServer(doc: EcsDoc, address: string | undefined, port?: number | string): void {
  if (!address) return;
  const p = port === undefined || port === '' ? undefined : Number(port);
  const side: EcsDoc = { address };
  if (isIp(address)) side.ip = address;
  else side.domain = address;
  if (p !== undefined && Number.isInteger(p) && p >= 0 && p <= 65535) side.port = p;
  doc.destination = { ...(doc.destination as EcsDoc | undefined), ...side };
  doc.server = { ...(doc.server as EcsDoc | undefined), ...side };
}

/** network.* for a DNS exchange over a transport ("udp"/"tcp", any case). */
export function dnsNetwork(transport: string | undefined, clientIp?: string): EcsDoc {
  const net: EcsDoc = { protocol: 'dns' };
  const t = transport?.toLowerCase();
  if (t === 'udp' || t === 'tcp') {
    net.transport = t;
    net.iana_number = t === 'udp' ? '17' : '6';
  }
  if (clientIp && isIp(clientIp)) net.type = clientIp.includes(':') ? 'ipv6' : 'ipv4';
  return net;
}

/** event.* for a DNS record: category network, type protocol; outcome from the response code. */
export function dnsEvent(action: string, rcode?: string, extraTypes: readonly string[] = []): EcsDoc {
  const event: EcsDoc = { kind: 'event', category: ['network'], type: ['protocol', ...extraTypes], action };
  const outcome = dnsOutcome(rcode);
  if (outcome) event.outcome = outcome;
  return event;
}

/** Tags a DNS event: B3 + P4a, and P4b when the record says whether recursion was desired/available. */
export function dnsEvidence(doc: EcsDoc, recursionKnown: boolean): EcsDoc {
  return evidence(doc, ['B3'], recursionKnown ? ['P4a', 'P4b'] : ['P4a']);
}

/** Splits text on `sep` outside double quotes (TXT data may hold the separator). */
export function splitOutsideQuotes(text: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      cur += c + text[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === sep && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}
