// OpenLDAP slapd "stats" log lines (loglevel stats / 256). One LDAP operation spans several lines
// (ACCEPT on the connection, BIND/ADD/MOD request, RESULT), so the parser remembers, per server host:
//   conn=N       -> the client address from ACCEPT and the DN bound on it
//   conn=N op=M  -> the request (its DN, bind method, modified attributes)
// and the RESULT line becomes the event that says what happened: a bind success or failure (B1.4),
// an account or group created (B1.1, B1.8), a membership change (B1.7), a password change (B1.6).
// Every line still becomes its own event; request lines are informational.
import { mergeInto, type EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { isIp, parseKv } from '../ecs.js';
import type { ParserState } from '../state.js';
import { outcomeOf, resultEvent, resultName, TAG_OPS, userOf, type ConnState, type OpState } from './ops.js';

const HEAD = /^conn=(\d+) (fd|op)=(\d+) (.*)$/;
// 2.6 log files prefix each line with a hex time and the thread id: "655f1234.0a1b2c3d 0x7f00... ".
const FILE_PREFIX = /^[0-9a-f]{8}\.[0-9a-f]{8} 0x[0-9a-f]+ /;

/** "IP=10.0.0.5:51234", "IP=[2001:db8::5]:51234", "PATH=/var/run/ldapi" */
function endpoint(s: string): { ip?: string; port?: number; path?: string } {
  if (s.startsWith('PATH=')) return { path: s.slice(5) };
  if (!s.startsWith('IP=')) return {};
  const v = s.slice(3);
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(v) ?? /^([^:]+):(\d+)$/.exec(v);
  return m ? { ip: m[1]!, port: Number(m[2]) } : {};
}

function quoted(rest: string, key: string): string | undefined {
  const m = new RegExp(`(?:^| )${key}="((?:[^"\\\\]|\\\\.)*)"`).exec(rest);
  return m ? m[1] : undefined;
}

function connFields(doc: EcsDoc, c: ConnState | undefined): void {
  if (!c) return;
  if (c.ip && isIp(c.ip)) doc.source = { ip: c.ip, ...(c.port !== undefined ? { port: c.port } : {}) };
  if (c.serverPort !== undefined) doc.destination = { ...(c.serverIp && c.serverIp !== '0.0.0.0' && c.serverIp !== '::' ? { ip: c.serverIp } : {}), port: c.serverPort };
}

function fdLine(doc: EcsDoc, rest: string, key: string, state: ParserState): void {
  const event = doc.event as EcsDoc;
  let m = /^ACCEPT from (\S+) \((\S+)\)/.exec(rest);
  if (m) {
    const from = endpoint(m[1]!);
    const to = endpoint(m[2]!);
    const c: ConnState = { ip: from.ip, port: from.port, serverIp: to.ip, serverPort: to.port, path: from.path };
    state.set(key, c);
    Object.assign(event, { action: 'accept', category: ['network'], type: ['connection', 'start'] });
    connFields(doc, c);
    if (from.path) mergeInto(doc, { openldap: { connection: { path: from.path } } });
    return;
  }
  if (rest.startsWith('closed')) {
    connFields(doc, state.take<ConnState>(key));
    Object.assign(event, { action: 'closed', category: ['network'], type: ['connection', 'end'] });
    m = /^closed \((.*)\)$/.exec(rest);
    if (m) event.reason = m[1]!;
    return;
  }
  if (rest.startsWith('TLS established')) {
    const kv = parseKv(rest.slice('TLS established'.length));
    mergeInto(doc, { openldap: { tls: kv } });
    Object.assign(event, { action: 'tls-established', category: ['network'], type: ['connection', 'info'] });
    connFields(doc, touch(state, key));
    return;
  }
  event.type = ['info'];
  connFields(doc, touch(state, key));
}

/** The connection's state, re-stored so that a long-lived connection keeps it past the 5-minute expiry. */
function touch(state: ParserState, key: string): ConnState | undefined {
  const c = state.get<ConnState>(key);
  if (c) state.set(key, c);
  return c;
}

function opLine(doc: EcsDoc, op: number, rest: string, ckey: string, state: ParserState): void {
  const event = doc.event as EcsDoc;
  const okey = `${ckey}:${op}`;
  const conn = touch(state, ckey);
  connFields(doc, conn);
  const ldap: EcsDoc = {};
  doc.openldap = ldap;

  const result = /^(SEARCH )?RESULT (?:tag=(\d+)|oid=(\S*)) err=(\d+)(.*)$/.exec(rest);
  if (result) {
    const [, search, tag, oid, errS, tail] = result;
    const err = Number(errS);
    const textAt = tail!.indexOf(' text=');
    const kv = parseKv(textAt >= 0 ? tail!.slice(0, textAt) : tail!);
    const text = textAt >= 0 ? tail!.slice(textAt + 6).trim() : '';
    const r: EcsDoc = { code: err, name: resultName(err) };
    if (tag) r.tag = Number(tag);
    if (text) r.text = text;
    for (const k of ['qtime', 'etime']) if (kv[k] !== undefined && !Number.isNaN(Number(kv[k]))) r[k] = Number(kv[k]);
    if (kv.nentries !== undefined) r.nentries = Number(kv.nentries);
    ldap.result = r;
    if (oid !== undefined) ldap.ext = { oid };
    const outcome = outcomeOf(err);
    if (outcome) event.outcome = outcome;
    if (err !== 0 && outcome === 'failure') event.reason = text || resultName(err);
    const opState = state.take<OpState>(okey);
    const opType = search ? 'SRCH' : tag ? TAG_OPS[Number(tag)] : 'EXT';
    resultEvent(doc, opState, opType, err, conn);
    // A successful bind makes that DN the actor of the connection's later operations.
    if (conn && opState?.type === 'BIND' && err === 0) state.set(ckey, { ...conn, boundDn: opState.dn || undefined });
    return;
  }

  const sp = rest.indexOf(' ');
  const verb = sp < 0 ? rest : rest.slice(0, sp);
  const args = sp < 0 ? '' : rest.slice(sp + 1);
  event.action = verb.toLowerCase();
  event.type = ['info'];
  const prior = state.get<OpState>(okey);
  const dn = quoted(args, 'dn');
  switch (verb) {
    case 'BIND': {
      event.category = ['authentication'];
      const s: OpState = prior ?? { type: 'BIND' };
      const anonymous = args.startsWith('anonymous');
      if (anonymous) s.dn = '';
      else if (dn !== undefined) s.dn = dn;
      const kv = parseKv(anonymous ? args.slice(9) : args);
      if (kv.method) s.method = kv.method;
      if (kv.mech) s.mech = kv.mech;
      state.set(okey, s);
      if (s.dn) doc.user = userOf(s.dn);
      ldap.dn = s.dn ?? '';
      ldap.bind = { ...(s.method ? { method: s.method } : {}), ...(s.mech ? { mech: s.mech } : {}), ...(kv.ssf ? { ssf: Number(kv.ssf) } : {}) };
      return;
    }
    case 'ADD':
    case 'DEL':
    case 'MODRDN':
    case 'CMP':
      if (dn !== undefined) {
        state.set(okey, { type: verb, dn });
        ldap.dn = dn;
      }
      event.category = ['database'];
      return;
    case 'MOD': {
      event.category = ['database'];
      if (dn !== undefined) {
        state.set(okey, { type: 'MOD', dn, attrs: [] });
        ldap.dn = dn;
        return;
      }
      // "MOD attr=member description": the attributes the modification touches.
      if (args.startsWith('attr=')) {
        const attrs = args.slice(5).trim().split(/\s+/).filter(Boolean);
        ldap.modify = { attributes: attrs };
        if (prior) {
          state.set(okey, { ...prior, attrs: [...(prior.attrs ?? []), ...attrs] });
          if (prior.dn) ldap.dn = prior.dn;
        }
      }
      return;
    }
    case 'SRCH': {
      event.category = ['database'];
      const base = quoted(args, 'base');
      if (base !== undefined) {
        const kv = parseKv(args);
        ldap.search = { base, ...(kv.scope ? { scope: Number(kv.scope) } : {}), ...(kv.filter !== undefined ? { filter: kv.filter } : {}) };
        state.set(okey, { type: 'SRCH', dn: base });
      } else if (args.startsWith('attr=')) ldap.search = { attributes: args.slice(5).trim().split(/\s+/) };
      return;
    }
    case 'EXT': {
      const oid = /oid=(\S+)/.exec(args)?.[1];
      if (oid) {
        state.set(okey, { type: 'EXT', oid });
        ldap.ext = { oid };
      }
      return;
    }
    case 'PASSMOD': {
      // "PASSMOD id="uid=bob,..." new", or "PASSMOD old new" for the bound user's own password.
      const id = quoted(args, 'id') ?? conn?.boundDn;
      state.set(okey, { ...(prior ?? { type: 'EXT', oid: '1.3.6.1.4.1.4203.1.11.1' }), dn: id });
      if (id) {
        ldap.dn = id;
        mergeInto(doc, { user: { target: userOf(id) } });
      }
      return;
    }
    case 'UNBIND':
      Object.assign(event, { category: ['authentication', 'session'], type: ['end'] });
      if (conn?.boundDn) doc.user = userOf(conn.boundDn);
      return;
    default:
      return;
  }
}

export default defineParser({
  id: 'openldap',
  title: 'OpenLDAP slapd',
  description: 'OpenLDAP slapd stats log lines: connections, binds, searches and directory changes, joined per connection and operation',
  input: 'text',
  programs: ['slapd'],
  requirements: ['B1.1', 'B1.4', 'B1.6', 'B1.7', 'B1.8'],
  parse({ message, syslog, state }) {
    let text = message.trim();
    if (FILE_PREFIX.test(text)) text = text.slice(text.indexOf(' ', 18) + 1);
    const doc: EcsDoc = { event: { kind: 'event' } };
    const m = HEAD.exec(text);
    if (!m) {
      // slapd's own notices (start-up, daemon errors, ppolicy): kept as information.
      (doc.event as EcsDoc).type = ['info'];
      return doc;
    }
    const [, connS, kind, num, rest] = m;
    const conn = Number(connS);
    const ckey = `${syslog?.hostname ?? ''}|${conn}`;
    doc.openldap = {};
    if (kind === 'fd') fdLine(doc, rest!, ckey, state);
    else opLine(doc, Number(num), rest!, ckey, state);
    mergeInto(doc, { openldap: { connection: { id: conn, ...(kind === 'fd' ? { fd: Number(num) } : {}) }, ...(kind === 'op' ? { operation: { id: Number(num) } } : {}) } });
    return doc;
  },
});
