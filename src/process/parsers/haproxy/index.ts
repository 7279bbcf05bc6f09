// HAProxy default HTTP log format (option httplog, and httpslog's TLS tail), TCP log format
// (option tcplog) and connection error lines. Timers and states go under haproxy.* as Elastic names them.
import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { clfTime, httpDoc, relatedHosts, requestLine, setSource, urlDoc, webEvent, webEvidence } from '../http-ecs.js';

const HEAD = String.raw`^(\S+):(\d+) \[([^\]]+)\] (\S+) `;
const CONNS = String.raw`(\d+)\/(\d+)\/(\d+)\/(\d+)\/\+?(\d+) (\d+)\/(\d+)`;
// %ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq ...
const HTTP = new RegExp(`${HEAD}(\\S+)\\/(\\S+) (-?\\d+)\\/(-?\\d+)\\/(-?\\d+)\\/(-?\\d+)\\/\\+?(-?\\d+) (-?\\d+) \\+?(\\d+) (\\S+) (\\S+) (\\S{4}) ${CONNS}(.*)$`);
// %ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq
const TCP = new RegExp(`${HEAD}(\\S+)\\/(\\S+) (-?\\d+)\\/(-?\\d+)\\/\\+?(-?\\d+) \\+?(\\d+) (\\S{2}) ${CONNS}$`);
// %ci:%cp [%tr] %ft/%b: message (e.g. "SSL handshake failure")
const ERROR = new RegExp(`^(\\S+):(\\d+) \\[([^\\]]+)\\] ([^\\s/]+)\\/(\\S+): (.+)$`);

/** A timer in ms, or undefined for -1 ("did not happen"). */
const ms = (v: string | undefined): number | undefined => (v === undefined || v.startsWith('-') ? undefined : Number(v));

function set(o: EcsDoc, key: string, v: unknown): void {
  if (v !== undefined && v !== null && v !== '') o[key] = v as EcsDoc[string];
}

function connections(m: string[], i: number): EcsDoc {
  return { active: +m[i]!, frontend: +m[i + 1]!, backend: +m[i + 2]!, server: +m[i + 3]!, retries: +m[i + 4]! };
}

function common(doc: EcsDoc, ha: EcsDoc, m: string[]): void {
  setSource(doc, m[1], m[2]);
  const ts = clfTime(m[3]!);
  if (ts) doc['@timestamp'] = ts;
  ha.frontend_name = m[4]!;
  doc.observer = { product: 'HAProxy', type: 'proxy' };
}

/** "{a|b} {c|d} "GET / HTTP/1.1" 0/0/0/0/0 sni/TLSv1.3/cipher" after the queues. */
function httpTail(doc: EcsDoc, ha: EcsDoc, tail: string): void {
  let rest = tail.trimStart();
  const captures: string[] = [];
  while (rest.startsWith('{')) {
    const close = rest.indexOf('}');
    if (close < 0) break;
    captures.push(rest.slice(1, close));
    rest = rest.slice(close + 1).trimStart();
  }
  const http = (ha.http ?? {}) as EcsDoc;
  // One block is the request headers (the usual capture); two are request then response.
  if (captures.length) ha.http = http;
  if (captures[0] !== undefined) http.request = { ...(http.request as EcsDoc | undefined), captured_headers: captures[0].split('|') };
  if (captures[1] !== undefined) http.response = { ...(http.response as EcsDoc | undefined), captured_headers: captures[1].split('|') };
  if (!rest.startsWith('"')) return;
  // The request line may be cut at 1024 bytes, leaving the quote open.
  const close = rest.indexOf('"', 1);
  const line = close < 0 ? rest.slice(1) : rest.slice(1, close);
  const after = close < 0 ? '' : rest.slice(close + 1).trim();
  const rl = requestLine(line);
  const req = rl.method ? rl : requestLine(`${line} HTTP/0`); // a cut-off line has no version
  if (req.method && req.target) {
    const h = doc.http as EcsDoc;
    h.request = { ...(h.request as EcsDoc | undefined), method: req.method };
    if (rl.version) h.version = rl.version;
    const u = urlDoc(req.target, req.method);
    doc.url = u.url;
    if (u.destination) doc.destination = u.destination;
  }
  // option httpslog: %[fc_err]/%[ssl_fc_err,hex]/%[ssl_c_err]/%[ssl_c_ca_err]/%[ssl_fc_is_resumed] %[ssl_fc_sni]/%sslv/%sslc
  const tls = /^(\d+)\/(\w+)\/(\d+)\/(\d+)\/([01]) (\S*)\/([A-Za-z]+)v(\d+(?:\.\d+)?)\/(\S+)$/.exec(after);
  if (tls) {
    const t: EcsDoc = { version_protocol: tls[7]!.toLowerCase(), version: tls[8]!, cipher: tls[9]! };
    if (tls[5] === '1') t.resumed = true;
    if (tls[6] && tls[6] !== '-') {
      t.client = { server_name: tls[6] };
      doc.destination = { ...(doc.destination as EcsDoc | undefined), domain: tls[6] };
    }
    doc.tls = t;
    ha.connections = { ...(ha.connections as EcsDoc), fc_err: +tls[1]!, ssl_fc_err: tls[2]!, ssl_c_err: +tls[3]!, ssl_c_ca_err: +tls[4]! };
  }
}

function parseHttp(m: RegExpExecArray): EcsDoc {
  const doc: EcsDoc = {};
  const ha: EcsDoc = {};
  common(doc, ha, m);
  ha.backend_name = m[5]!;
  if (m[6] !== '<NOSRV>') ha.server_name = m[6]!;
  const http: EcsDoc = {};
  set(http, 'time_wait_ms', ms(m[7]));
  set(http, 'time_wait_without_data_ms', ms(m[10]));
  if (Object.keys(http).length) ha.http = { request: http };
  set(ha, 'total_waiting_time_ms', ms(m[8]));
  set(ha, 'connection_wait_time_ms', ms(m[9]));
  const total = ms(m[11]);
  const status = Number(m[12]);
  doc.http = httpDoc({}, status, Number(m[13]), 'bytes');
  if (m[14] !== '-') {
    const h = (ha.http ??= {}) as EcsDoc;
    h.request = { ...(h.request as EcsDoc | undefined), captured_cookie: m[14]! };
  }
  if (m[15] !== '-') ((ha.http ??= {}) as EcsDoc).response = { captured_cookie: m[15]! };
  ha.termination_state = m[16]!;
  ha.connections = connections(m, 17);
  ha.server_queue = +m[22]!;
  ha.backend_queue = +m[23]!;
  httpTail(doc, ha, m[24]!);
  doc.haproxy = ha;
  doc.event = webEvent(status > 0 ? status : undefined);
  if (total !== undefined) (doc.event as EcsDoc).duration = total * 1_000_000;
  relatedHosts(doc);
  return webEvidence(doc);
}

function parseTcp(m: RegExpExecArray): EcsDoc {
  const doc: EcsDoc = {};
  const ha: EcsDoc = {};
  common(doc, ha, m);
  ha.backend_name = m[5]!;
  if (m[6] !== '<NOSRV>') ha.server_name = m[6]!;
  set(ha, 'total_waiting_time_ms', ms(m[7]));
  set(ha, 'connection_wait_time_ms', ms(m[8]));
  const total = ms(m[9]);
  // %B counts bytes sent from the server to the client: the destination's bytes in a client->proxy flow.
  doc.destination = { bytes: Number(m[10]) };
  ha.termination_state = m[11]!;
  ha.connections = connections(m, 12);
  ha.server_queue = +m[17]!;
  ha.backend_queue = +m[18]!;
  doc.haproxy = ha;
  // The first state character is why the session ended: "-" is a normal close.
  const event: EcsDoc = { kind: 'event', category: ['network'], type: ['connection'], outcome: m[11]!.startsWith('-') ? 'success' : 'failure' };
  if (total !== undefined) event.duration = total * 1_000_000;
  doc.event = event;
  network(doc);
  return webEvidence(doc);
}

function network(doc: EcsDoc): void {
  doc.network = { transport: 'tcp' };
}

export default defineParser({
  id: 'haproxy',
  title: 'HAProxy',
  description: 'HAProxy HTTP (httplog, httpslog), TCP (tcplog) and connection-error log lines, via syslog (program haproxy)',
  input: 'text',
  // HAProxy only logs through syslog: binding to the program keeps it off every other line.
  programs: ['haproxy'],
  requirements: ['B4'],
  parse({ message, syslog }) {
    const doc = read(message);
    if (doc && syslog?.hostname) (doc.observer as EcsDoc).hostname = syslog.hostname;
    return doc;
  },
});

/** An HTTP, TCP or connection-error line; null for HAProxy's other messages. */
function read(message: string): EcsDoc | null {
  let m = HTTP.exec(message);
  if (m) return parseHttp(m);
  m = TCP.exec(message);
  if (m) return parseTcp(m);
  m = ERROR.exec(message);
  if (!m) return null;
  const doc: EcsDoc = {};
  const ha: EcsDoc = {};
  common(doc, ha, m);
  ha.bind_name = m[5]!;
  doc.haproxy = ha;
  doc.error = { message: m[6]! };
  doc.event = { kind: 'event', category: ['network'], type: ['connection'], outcome: 'failure' };
  network(doc);
  return webEvidence(doc);
}
