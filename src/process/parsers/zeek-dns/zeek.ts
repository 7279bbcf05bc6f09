// Zeek dns.log records (JSON or TSV, both read into the same shape) to ECS, as Elastic's zeek.dns does.
import type { EcsDoc } from '../../../core/event.js';
import { dnsDoc, dnsEvent, dnsEvidence, dnsNetwork, setClient, setServer, type DnsAnswer } from '../dns-ecs.js';

export interface ZeekDns {
  ts?: number | string;
  uid?: string;
  orig_h?: string;
  orig_p?: number;
  resp_h?: string;
  resp_p?: number;
  proto?: string;
  trans_id?: number;
  rtt?: number;
  query?: string;
  qclass?: number;
  qclass_name?: string;
  qtype?: number;
  qtype_name?: string;
  rcode?: number;
  rcode_name?: string;
  AA?: boolean;
  TC?: boolean;
  RD?: boolean;
  RA?: boolean;
  Z?: number;
  answers?: string[];
  TTLs?: number[];
  rejected?: boolean;
}

/** The default dns.log columns, in Zeek's documented order (base/protocols/dns/main.zeek Info record). */
export const TSV_FIELDS = [
  'ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'trans_id', 'rtt', 'query',
  'qclass', 'qclass_name', 'qtype', 'qtype_name', 'rcode', 'rcode_name', 'AA', 'TC', 'RD', 'RA', 'Z',
  'answers', 'TTLs', 'rejected',
] as const;

// Zeek names classes C_INTERNET etc.; ECS (and Elastic) use the DNS mnemonics.
const CLASSES: Record<number, string> = { 1: 'IN', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' };

function time(ts: number | string | undefined): string | undefined {
  if (ts === undefined) return undefined;
  const d = typeof ts === 'number' || /^\d+(\.\d+)?$/.test(ts) ? new Date(Math.round(Number(ts) * 1000)) : new Date(ts);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function zeekDnsToEcs(r: ZeekDns): EcsDoc {
  const doc: EcsDoc = {};
  const ts = time(r.ts);
  if (ts) doc['@timestamp'] = ts;
  const flags: string[] = [];
  if (r.AA) flags.push('AA');
  if (r.TC) flags.push('TC');
  if (r.RD) flags.push('RD');
  if (r.RA) flags.push('RA');
  const answers: DnsAnswer[] = (r.answers ?? []).map((data, i) => {
    const ttl = r.TTLs?.[i];
    return ttl !== undefined && Number.isFinite(ttl) ? { data, ttl: Math.round(ttl) } : { data };
  });
  Object.assign(
    doc,
    dnsDoc({
      type: r.rcode_name !== undefined ? 'answer' : 'query',
      id: r.trans_id !== undefined ? String(r.trans_id) : undefined,
      name: r.query,
      qtype: r.qtype_name,
      qclass: (r.qclass !== undefined ? CLASSES[r.qclass] : undefined) ?? r.qclass_name,
      rcode: r.rcode_name,
      flags,
      answers,
    }),
  );
  setClient(doc, r.orig_h, r.orig_p);
  setServer(doc, r.resp_h, r.resp_p);
  doc.network = dnsNetwork(r.proto, r.orig_h);
  const event = dnsEvent('query', r.rcode_name);
  if (r.uid) event.id = r.uid;
  if (r.rtt !== undefined && Number.isFinite(r.rtt)) event.duration = Math.round(r.rtt * 1e9);
  doc.event = event;
  const z: EcsDoc = {};
  for (const k of ['trans_id', 'rtt', 'query', 'qclass', 'qclass_name', 'qtype', 'qtype_name', 'rcode', 'rcode_name', 'AA', 'TC', 'RD', 'RA', 'rejected'] as const) {
    const v = r[k];
    if (v !== undefined) z[k] = v;
  }
  if (r.answers) z.answers = r.answers;
  if (r.TTLs) z.TTLs = r.TTLs;
  doc.zeek = { dns: z, ...(r.uid ? { session_id: r.uid } : {}) };
  doc.observer = { vendor: 'Zeek', product: 'Zeek', type: 'sensor' };
  return dnsEvidence(doc, r.RD !== undefined || r.RA !== undefined);
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : v === 'T' ? true : v === 'F' ? false : undefined);

/** A Zeek JSON record (flat "id.orig_h" keys, or nested id objects) in the common shape. */
export function fromJson(j: Record<string, unknown>): ZeekDns {
  const id = (j.id && typeof j.id === 'object' ? j.id : {}) as Record<string, unknown>;
  const list = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);
  return {
    ts: typeof j.ts === 'number' || typeof j.ts === 'string' ? j.ts : undefined,
    uid: text(j.uid),
    orig_h: text(j['id.orig_h'] ?? id.orig_h),
    orig_p: num(j['id.orig_p'] ?? id.orig_p),
    resp_h: text(j['id.resp_h'] ?? id.resp_h),
    resp_p: num(j['id.resp_p'] ?? id.resp_p),
    proto: text(j.proto),
    trans_id: num(j.trans_id),
    rtt: num(j.rtt),
    query: text(j.query),
    qclass: num(j.qclass),
    qclass_name: text(j.qclass_name),
    qtype: num(j.qtype),
    qtype_name: text(j.qtype_name),
    rcode: num(j.rcode),
    rcode_name: text(j.rcode_name),
    AA: bool(j.AA),
    TC: bool(j.TC),
    RD: bool(j.RD),
    RA: bool(j.RA),
    Z: num(j.Z),
    answers: list(j.answers)?.map(String),
    TTLs: list(j.TTLs)?.map(Number),
    rejected: bool(j.rejected),
  };
}

/** Zeek's TSV escaping: \xHH for the separator, non-printables and backslashes. */
function unescape(v: string): string {
  return v.includes('\\x') ? v.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) : v;
}

/** One TSV line split into the default columns; null when it does not have their shape. */
export function fromTsv(line: string): ZeekDns | null {
  const f = line.split('\t');
  if (f.length < TSV_FIELDS.length) return null;
  if (!/^\d{9,10}(\.\d+)?$/.test(f[0]!) || !/^(udp|tcp|unknown_transport|-)$/.test(f[6]!)) return null;
  for (const i of [16, 17, 18, 19]) if (!/^[TF-]$/.test(f[i]!)) return null;
  const v = (i: number): string | undefined => (f[i] === '-' || f[i] === undefined ? undefined : unescape(f[i]!));
  const vec = (i: number): string[] | undefined => (f[i] === '-' ? undefined : f[i] === '(empty)' ? [] : f[i]!.split(',').map(unescape));
  return {
    ts: f[0]!,
    uid: v(1),
    orig_h: v(2),
    orig_p: num(v(3)),
    resp_h: v(4),
    resp_p: num(v(5)),
    proto: v(6),
    trans_id: num(v(7)),
    rtt: num(v(8)),
    query: v(9),
    qclass: num(v(10)),
    qclass_name: v(11),
    qtype: num(v(12)),
    qtype_name: v(13),
    rcode: num(v(14)),
    rcode_name: v(15),
    AA: bool(f[16]),
    TC: bool(f[17]),
    RD: bool(f[18]),
    RA: bool(f[19]),
    Z: num(v(20)),
    answers: vec(21),
    TTLs: vec(22)?.map(Number),
    rejected: bool(f[23]),
  };
}
