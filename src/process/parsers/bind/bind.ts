// ISC BIND 9 (named) client lines: queries, responses (BIND 9.18 `responses` category and Infoblox
// NIOS response logging), query-errors, security denials, dynamic updates and zone transfers.
// ECS has no place for these BIND notions, so they go under bind.log.* (as logstash-patterns-core does):
//   bind.log.category        the logging category (queries, query-errors, security, update, ...)
//   bind.log.view            the view that answered ("view internal:")
//   bind.log.zone            the zone of an update or transfer
//   bind.log.signer          the TSIG key that signed the request ("/key name")
//   bind.log.question.flags  the query flags as logged (+E(0)K ...), decoded into dns.header_flags
//   bind.log.response.flags  the response flags as logged (+A, +ED ...)
//   bind.log.update.*        a dynamic update's change (action, name, type, data)
//   bind.log.error_location  the source position of a query-errors line (query.c:NNN)
import type { EcsDoc } from '../../../core/event.js';
import type { SyslogMessage } from '../../decode/syslog.js';
import { evidence } from '../ecs.js';
import {
  dnsDoc,
  dnsEvent,
  dnsEvidence,
  dnsName,
  dnsNetwork,
  setClient,
  setServer,
  splitOutsideQuotes,
  type DnsAnswer,
} from '../dns-ecs.js';

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};
const SEVERITIES = new Set(['critical', 'error', 'warning', 'notice', 'info', 'debug', 'dynamic']);
const RCODES = new Set([
  'NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET',
  'NOTAUTH', 'NOTZONE', 'BADVERS', 'BADCOOKIE',
]);

const BIND_TIME = /^(\d{2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? /;
const ISO_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?) /;
const PREFIX = /^([a-z][a-z0-9_-]*)(?: (\d+))?: /;
// client [@0x...] ip#port[/key name][ (qname)]: [view v: ]
// (Infoblox writes "client ip#port UDP: query: ..." without the colon after the port.)
const CLIENT = /^client (?:@0x[0-9a-fA-F]+ )?([0-9A-Fa-f.:]+)#(\d+)(?:\/key (\S+?))?(?: \(([^)]*)\))?:? (?:view ([^:]+): )?/;

interface Prefix {
  time?: string;
  category?: string;
  severity?: string;
  body: string;
}

/** Print-time, print-category and print-severity prefixes, in whatever order the channel wrote them. */
export function stripPrefixes(message: string): Prefix {
  const p: Prefix = { body: message };
  // A relay that lost the syslog tag leaves "named[pid]: " at the front of the message.
  const tag = /^named\[\d+\]: /.exec(message);
  if (tag) p.body = message.slice(tag[0].length);
  for (let k = 0; k < 4; k++) {
    const s = p.body;
    let m: RegExpExecArray | null;
    if (!p.time && (m = BIND_TIME.exec(s))) {
      const mon = MONTHS[m[2]!.toLowerCase()];
      const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
      const t = mon === undefined ? NaN : Date.UTC(+m[3]!, mon, +m[1]!, +m[4]!, +m[5]!, +m[6]!, ms);
      if (!Number.isNaN(t)) p.time = new Date(t).toISOString();
      p.body = s.slice(m[0].length);
    } else if (!p.time && (m = ISO_TIME.exec(s))) {
      const d = new Date(/[Zz]|[+-]\d{2}:?\d{2}$/.test(m[1]!) ? m[1]! : `${m[1]}Z`);
      if (!Number.isNaN(d.getTime())) p.time = d.toISOString();
      p.body = s.slice(m[0].length);
    } else if ((m = PREFIX.exec(s))) {
      if (SEVERITIES.has(m[1]!)) p.severity = m[1];
      else if (!p.category && !m[2]) p.category = m[1];
      else break;
      p.body = s.slice(m[0].length);
    } else break;
  }
  return p;
}

/** Cheap test: does the text look like a BIND client line at all? */
export function looksLikeBind(message: string): boolean {
  const i = message.indexOf('client ');
  return i >= 0 && i <= 80 && message.indexOf('#', i) > 0;
}

function observer(syslog: SyslogMessage | undefined): EcsDoc {
  const o: EcsDoc = { vendor: 'ISC', product: 'BIND', type: 'dns' };
  if (syslog?.hostname) o.hostname = syslog.hostname;
  return o;
}

/** Query flags: +/- recursion desired, S signed, E(n) EDNS, T TCP, D DNSSEC OK, C checking disabled. */
function queryFlags(token: string): { flags: string[]; tcp: boolean } {
  const flags: string[] = [];
  if (token.startsWith('+')) flags.push('RD');
  const letters = token.slice(1).replace(/\(\d+\)/g, '');
  if (letters.includes('D')) flags.push('DO');
  if (letters.includes('C')) flags.push('CD');
  return { flags, tcp: letters.includes('T') };
}

/** Response flags (Infoblox, BIND 9.18 responses): +/- recursion, A authoritative, t truncated, D DO. */
function responseFlags(token: string): string[] {
  const flags: string[] = [];
  if (token.startsWith('+')) flags.push('RD');
  const letters = token.slice(1);
  if (letters.includes('A')) flags.push('AA');
  if (letters.includes('t')) flags.push('TC');
  if (letters.includes('D')) flags.push('DO');
  return flags;
}

/** "name ttl class type data; ..." records of a logged response. */
function parseAnswers(text: string): DnsAnswer[] {
  const out: DnsAnswer[] = [];
  for (const part of splitOutsideQuotes(text, ';')) {
    const m = /^(\S+) (\d+) ([A-Z][A-Z0-9]*) ([A-Z][A-Z0-9-]*) ?(.*)$/.exec(part.trim());
    if (m) out.push({ name: m[1]!, ttl: Number(m[2]), class: m[3]!, type: m[4]!, data: m[5]! });
  }
  return out;
}

/** A parsed BIND line, or null when the text is not a BIND client line. */
export function parseBind(message: string, syslog: SyslogMessage | undefined, fromNamed: boolean): EcsDoc | null {
  const doc = read(message, syslog, fromNamed);
  const log = (doc?.bind as EcsDoc | undefined)?.log as EcsDoc | undefined;
  if (doc && log && Object.keys(log).length === 0) delete doc.bind;
  return doc;
}

function read(message: string, syslog: SyslogMessage | undefined, fromNamed: boolean): EcsDoc | null {
  const pre = stripPrefixes(message);
  const cm = CLIENT.exec(pre.body);
  if (!cm) return null;
  // Without the named program, demand a BIND marker besides the client prefix.
  if (!fromNamed && !pre.category && !pre.time && !/^client @0x/.test(pre.body) && !/ query: /.test(pre.body)) return null;
  const doc: EcsDoc = { observer: observer(syslog) };
  if (pre.time) doc['@timestamp'] = pre.time;
  if (pre.severity) doc.log = { level: pre.severity };
  const bind: EcsDoc = {};
  if (pre.category) bind.category = pre.category;
  if (cm[5]) bind.view = cm[5];
  if (cm[3]) bind.signer = cm[3];
  const log: EcsDoc = { log: bind };
  doc.bind = log;
  setClient(doc, cm[1], cm[2]);

  let rest = pre.body.slice(cm[0].length);
  let transport: string | undefined;
  const tm = /^(UDP|TCP): /.exec(rest);
  if (tm) {
    transport = tm[1]!.toLowerCase();
    rest = rest.slice(tm[0].length);
  }
  if (rest.startsWith('query: ')) rest = rest.slice(7);
  else if (!/^\S+ \S+ \S+ response: /.test(rest)) return other(doc, bind, rest);

  const rm = /^(\S+) (\S+) (\S+) response: (\S+)(?: ([+-][A-Za-z]*))?(?: (.*))?$/.exec(rest);
  if (rm) {
    const [, name, qclass, qtype, rcode, flagTok, answers] = rm;
    const flags = flagTok ? responseFlags(flagTok) : [];
    Object.assign(doc, dnsDoc({ type: 'answer', name, qclass, qtype, rcode, flags, answers: answers ? parseAnswers(answers) : [] }));
    doc.event = dnsEvent('response', rcode);
    doc.network = dnsNetwork(transport, cm[1]);
    if (flagTok) bind.response = { flags: flagTok };
    return dnsEvidence(doc, flagTok !== undefined);
  }
  const qm = /^(\S+) (\S+) (\S+) ([+-]\S*)(?: \(([^)]*)\))?(?: (.*))?$/.exec(rest);
  if (!qm) return partial(doc, 'unrecognised BIND query text');
  const [, name, qclass, qtype, flagTok, server, tail] = qm;
  const { flags, tcp } = queryFlags(flagTok!);
  Object.assign(doc, dnsDoc({ type: 'query', name, qclass, qtype, flags }));
  doc.event = dnsEvent('query');
  doc.network = dnsNetwork(transport ?? (tcp ? 'tcp' : 'udp'), cm[1]);
  setServer(doc, server);
  bind.question = tail ? { flags: flagTok!, extra: tail } : { flags: flagTok! };
  return dnsEvidence(doc, true);
}

/** The other client messages: query-errors, security denials, updates, transfers. */
function other(doc: EcsDoc, bind: EcsDoc, rest: string): EcsDoc {
  let m: RegExpExecArray | null;
  if ((m = /^query failed \(([^)]+)\) for (\S+)\/(\S+?)\/(\S+?)(?: at (\S+))?$/.exec(rest))) {
    const [, why, name, qclass, qtype, at] = m;
    const rcode = RCODES.has(why!) ? why : undefined;
    Object.assign(doc, dnsDoc({ type: 'answer', name, qclass, qtype, rcode }));
    doc.event = dnsEvent('query-failed');
    (doc.event as EcsDoc).outcome = 'failure';
    if (!rcode) (doc.event as EcsDoc).reason = why!;
    if (at) bind.error_location = at;
    return dnsEvidence(doc, false);
  }
  if ((m = /^query( \(cache\))?(?: '(\S+?)\/(\S+?)\/(\S+?)')? denied(?: \((.*)\))?\s*$/.exec(rest))) {
    const [, cache, name, qtype, qclass, reason] = m;
    Object.assign(doc, dnsDoc({ type: 'query', name, qclass, qtype }));
    doc.event = dnsEvent(cache ? 'query-cache-denied' : 'query-denied', undefined, ['denied']);
    (doc.event as EcsDoc).outcome = 'failure';
    if (reason) (doc.event as EcsDoc).reason = reason;
    return dnsEvidence(doc, false);
  }
  if ((m = /^updating zone '([^']+)\/(\w+)': (.*)$/.exec(rest))) return update(doc, bind, m[1]!, m[2]!, m[3]!);
  if ((m = /^update '([^']+)\/(\w+)' denied$/.exec(rest))) {
    bind.zone = dnsName(m[1]!);
    doc.dns = { op_code: 'UPDATE', type: 'query', question: { name: dnsName(m[1]!), class: m[2]! } };
    doc.event = { kind: 'event', category: ['network', 'configuration'], type: ['change', 'denied'], action: 'zone-update-denied', outcome: 'failure' };
    return evidence(doc, [], ['P4c']);
  }
  if ((m = /^transfer of '([^']+)\/(\w+)': (AXFR|IXFR|AXFR-style IXFR) (started|ended)(?: \(serial (\d+)\))?/.exec(rest))) {
    const [, zone, qclass, kind, phase, serial] = m;
    bind.zone = dnsName(zone!);
    if (serial) bind.serial = Number(serial);
    Object.assign(doc, dnsDoc({ type: 'query', name: zone, qclass, qtype: kind === 'IXFR' ? 'IXFR' : 'AXFR' }));
    doc.event = dnsEvent(`zone-transfer-${phase}`);
    if (phase === 'ended') (doc.event as EcsDoc).outcome = 'success';
    return dnsEvidence(doc, false);
  }
  return partial(doc, 'unrecognised BIND client message');
}

/** Dynamic update (RFC 2136): the zone is the update's question; the change goes under bind.log.update. */
function update(doc: EcsDoc, bind: EcsDoc, zone: string, qclass: string, what: string): EcsDoc {
  bind.zone = dnsName(zone);
  const upd: EcsDoc = {};
  const m = /^(adding an RR|deleting an RR|deleting rrset|deleting all rrsets from name) (?:at )?'([^']+)'(?: (\S+))?(?: (.*))?$/.exec(what);
  const hosts: string[] = [];
  const ips: string[] = [];
  if (m) {
    upd.action = m[1]!;
    upd.name = dnsName(m[2]!);
    hosts.push(upd.name);
    if (m[3]) upd.type = m[3];
    if (m[4]) {
      upd.data = m[4];
      if (/^(A|AAAA)$/.test(m[3] ?? '') && m[4]) ips.push(m[4]);
    }
  } else upd.message = what;
  bind.update = upd;
  doc.dns = { op_code: 'UPDATE', type: 'query', question: { name: dnsName(zone), class: qclass } };
  const failed = /unsuccessful|failed|denied|refused/.test(what);
  doc.event = {
    kind: 'event',
    category: ['network', 'configuration'],
    type: ['change'],
    action: 'zone-update',
    ...(failed ? { outcome: 'failure' } : m ? { outcome: 'success' } : {}),
  };
  const related: EcsDoc = {};
  if (hosts.length) related.hosts = hosts;
  if (ips.length) related.ip = ips;
  if (Object.keys(related).length) doc.related = related;
  return evidence(doc, [], ['P4c']);
}

function partial(doc: EcsDoc, why: string): EcsDoc {
  doc.event = { kind: 'event', category: ['network'], type: ['info'] };
  doc.vigil = { parse: { status: 'partial', error: why } };
  return doc;
}
