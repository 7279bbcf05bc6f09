// dnsmasq DNS log lines (log-queries): query / forwarded / reply / cached / config / hosts-file answers.
// Each line is its own event; a reply is joined to its query (by the log-queries=extra serial number,
// else by name and type) so it carries the client address and the question type.
import type { EcsDoc } from '../../../core/event.js';
import type { SyslogMessage } from '../../decode/syslog.js';
import { isIp } from '../ecs.js';
import type { ParserState } from '../state.js';
import {
  arpaFromIp,
  dnsDoc,
  dnsEvent,
  dnsEvidence,
  dnsName,
  dnsNetwork,
  setClient,
  setServer,
  type DnsAnswer,
} from '../dns-ecs.js';

interface Pending {
  ip?: string;
  port?: string;
  type?: string;
  /** The question name (a CNAME chain's later records answer the first name). */
  name?: string;
}

// dnsmasq logs one response's records back to back: after "reply www is <CNAME>" the next unmatched
// record ("reply edge is 1.2.3.4") belongs to the same question. A new query or a matched record ends it.
const CHAIN = 'cname-chain';

const RCODES = new Set(['NXDOMAIN', 'SERVFAIL', 'REFUSED', 'NOTIMP', 'FORMERR']);
// log-queries=extra: "<serial> <client>/<port> " before the message.
const EXTRA = /^(\d+) ([0-9A-Fa-f.:]+)\/(\d+) /;
const QUERY = /^(query|auth)\[([^\]]+)\] (\S+) from ([0-9A-Fa-f.:]+)(?:[#/](\d+))?$/;
const FORWARD = /^(forwarded|dnssec-query\[([^\]]+)\]) (\S+) to ([0-9A-Fa-f.:]+)(?:#(\d+))?$/;
const ANSWER = /^(reply|cached|cached-stale|config|DHCP|\/\S+) (\S+) is (.+)$/;

/** "type=65" (an unnamed type) becomes the RFC 3597 form "TYPE65". */
function qtype(t: string): string {
  const m = /^type=(\d+)$/.exec(t);
  return m ? `TYPE${m[1]}` : t;
}

function key(name: string, type?: string): string {
  return `n:${dnsName(name).toLowerCase()}${type ? `|${type}` : ''}`;
}

function observer(syslog: SyslogMessage | undefined): EcsDoc {
  const o: EcsDoc = { product: 'dnsmasq', type: 'dns' };
  if (syslog?.hostname) o.hostname = syslog.hostname;
  return o;
}

interface Answer {
  rcode: string;
  type?: string;
  answers: DnsAnswer[];
  /** The question name, when the line names an address (a reverse lookup logs "<ip> is <name>"). */
  qname: string;
  raw?: string;
}

/** Reads what a reply/cached/config line says the name "is". */
function readAnswer(name: string, value: string): Answer {
  const v = value.trim();
  if (isIp(v)) {
    const type = v.includes(':') ? 'AAAA' : 'A';
    return { rcode: 'NOERROR', type, answers: [{ name, type, data: v }], qname: name };
  }
  if (RCODES.has(v)) return { rcode: v, answers: [], qname: name };
  const nodata = /^NODATA(?:-IPv([46]))?$/.exec(v);
  if (nodata) return { rcode: 'NOERROR', type: nodata[1] === '6' ? 'AAAA' : nodata[1] === '4' ? 'A' : undefined, answers: [], qname: name };
  const placeholder = /^<([A-Z0-9]+)>$/.exec(v);
  if (placeholder) return { rcode: 'NOERROR', answers: [{ name, type: placeholder[1]! }], qname: name };
  if (isIp(name) && /^[A-Za-z0-9_.-]+$/.test(v)) {
    const arpa = arpaFromIp(name)!;
    return { rcode: 'NOERROR', type: 'PTR', answers: [{ name: arpa, type: 'PTR', data: v }], qname: arpa };
  }
  return { rcode: 'NOERROR', answers: [], qname: name, raw: v };
}

export function parseDnsmasq(message: string, syslog: SyslogMessage | undefined, state: ParserState): EcsDoc | null {
  let text = message;
  let serial: string | undefined;
  let extra: Pending | undefined;
  const em = EXTRA.exec(text);
  if (em) {
    serial = em[1];
    extra = { ip: em[2], port: em[3] };
    text = text.slice(em[0].length);
  }
  let m: RegExpExecArray | null;
  if ((m = QUERY.exec(text))) {
    const [, verb, t, name, ip, port] = m;
    const type = qtype(t!);
    const pending: Pending = { ip: ip!, port: port ?? extra?.port, type, name: dnsName(name!) };
    state.take(CHAIN);
    state.set(key(name!, type), pending);
    state.set(key(name!), pending);
    if (serial) state.set(`s:${serial}`, pending);
    const doc = base(syslog, serial);
    Object.assign(doc, dnsDoc({ type: 'query', name, qtype: type, qclass: 'IN' }));
    doc.event = dnsEvent(verb === 'auth' ? 'auth-query' : 'query');
    setClient(doc, ip, pending.port);
    doc.network = dnsNetwork(undefined, ip);
    return dnsEvidence(doc, false);
  }
  if ((m = FORWARD.exec(text))) {
    const [, verb, dnssecType, name, upstream, port] = m;
    const pending = lookup(state, serial, name!) ?? extra;
    const doc = base(syslog, serial);
    const type = dnssecType ? qtype(dnssecType) : pending?.type;
    Object.assign(doc, dnsDoc({ type: 'query', name, qtype: type, qclass: type ? 'IN' : undefined }));
    doc.event = dnsEvent(dnssecType ? 'dnssec-query' : verb!);
    // The forwarded packet goes from dnsmasq to the upstream: the asking client is client.*, not source.*.
    if (!dnssecType) setClient(doc, pending?.ip ?? extra?.ip, pending?.port ?? extra?.port);
    delete doc.source;
    setServer(doc, upstream, port);
    doc.network = dnsNetwork(undefined, upstream);
    return dnsEvidence(doc, false);
  }
  if ((m = ANSWER.exec(text))) {
    const [, verb, name, value] = m;
    const a = readAnswer(name!, value!);
    const matched = lookup(state, serial, a.qname, a.type);
    const chained = matched ? undefined : state.get<Pending>(CHAIN);
    if (matched) state.take(CHAIN);
    const pending = matched ?? chained ?? extra;
    if (a.answers[0]?.type === 'CNAME') state.set(CHAIN, { ...pending, name: pending?.name ?? dnsName(a.qname) });
    const doc = base(syslog, serial);
    const type = pending?.type ?? a.type;
    const qname = chained?.name ?? a.qname;
    Object.assign(doc, dnsDoc({ type: 'answer', name: qname, qtype: type, qclass: 'IN', rcode: a.rcode, answers: a.answers }));
    const action = verb!.startsWith('/') ? 'hosts-file' : verb === 'DHCP' ? 'dhcp-lease' : verb!;
    doc.event = dnsEvent(action, a.rcode);
    setClient(doc, pending?.ip ?? extra?.ip, pending?.port ?? extra?.port);
    if (pending?.ip) doc.network = dnsNetwork(undefined, pending.ip);
    const dm = doc.dnsmasq as EcsDoc;
    if (verb!.startsWith('/')) dm.source = verb!;
    if (a.raw) dm.answer = a.raw;
    return dnsEvidence(doc, false);
  }
  return null;
}

function base(syslog: SyslogMessage | undefined, serial: string | undefined): EcsDoc {
  return { observer: observer(syslog), dnsmasq: serial ? { serial: Number(serial) } : {} };
}

function lookup(state: ParserState, serial: string | undefined, name: string, type?: string): Pending | undefined {
  if (serial) {
    const p = state.get<Pending>(`s:${serial}`);
    if (p) return p;
  }
  return (type ? state.get<Pending>(key(name, type)) : undefined) ?? state.get<Pending>(key(name));
}
