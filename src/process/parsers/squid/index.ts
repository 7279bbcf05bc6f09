// Squid access.log: the native format and the predefined "combined"/"common" logformats.
//   1700000000.123    150 10.0.0.5 TCP_MISS/200 5120 GET http://example.com/ alice HIER_DIRECT/93.184.216.34 text/html
//   10.0.0.5 - alice [23/Nov/2026:08:00:01 +0000] "GET http://example.com/ HTTP/1.1" 200 5120 "-" "UA" TCP_MISS:HIER_DIRECT
import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { isIp } from '../ecs.js';
import { clfTime, httpDoc, int, relatedHosts, requestLine, setSource, urlDoc, webEvent, webEvidence } from '../http-ecs.js';
import { splitQuoted } from '../quoted-fields.js';

// time elapsed remotehost code/status bytes method URL rfc931 peerstatus/peerhost type
const NATIVE = /^(\d{9,11})\.(\d{3}) +(-?\d+) (\S+) ([A-Z_]+|NONE)\/(\d{3}) (\d+) (\S+) (\S+) (\S+) ([A-Z_]+)\/(\S+) (\S+)(?: (.*))?$/;
const COMBINED_TAIL = /^([A-Z_]+|NONE):([A-Z_]+)$/;

function observer(hostname: string | undefined): EcsDoc {
  const o: EcsDoc = { vendor: 'Squid', product: 'Squid', type: 'proxy' };
  if (hostname) o.hostname = hostname;
  return o;
}

/** Common ECS for one proxied request. */
function request(doc: EcsDoc, method: string | undefined, target: string | undefined): void {
  if (!target || target === '-') return;
  const u = urlDoc(target, method);
  doc.url = u.url;
  if (u.destination) doc.destination = { ...u.destination, ...(doc.destination as EcsDoc | undefined) };
}

function peer(doc: EcsDoc, hierarchy: string, host: string): void {
  doc.squid = { ...(doc.squid as EcsDoc | undefined), hierarchy_code: hierarchy };
  if (host === '-') return;
  const dst: EcsDoc = isIp(host) ? { address: host, ip: host } : { address: host, domain: host };
  doc.destination = { ...(doc.destination as EcsDoc | undefined), ...dst };
}

function native(m: RegExpExecArray, hostname: string | undefined): EcsDoc {
  const [, sec, ms, elapsed, client, result, status, bytes, method, url, user, hierarchy, peerHost, mime] = m;
  const doc: EcsDoc = { '@timestamp': new Date(Number(sec) * 1000 + Number(ms)).toISOString() };
  setSource(doc, client);
  const code = Number(status);
  doc.http = httpDoc({ method: method === '-' || method === 'NONE' ? undefined : method }, code, Number(bytes), 'bytes');
  if (mime && mime !== '-') ((doc.http as EcsDoc).response as EcsDoc).mime_type = mime;
  request(doc, method, url);
  if (user && user !== '-') doc.user = { name: user };
  peer(doc, hierarchy!, peerHost!);
  doc.event = webEvent(code, result);
  const d = Number(elapsed);
  if (d >= 0) (doc.event as EcsDoc).duration = d * 1_000_000;
  doc.observer = observer(hostname);
  return doc;
}

function combined(message: string, hostname: string | undefined): EcsDoc | null {
  const b = message.indexOf(' [');
  if (b <= 0 || b > 300) return null;
  const head = message.slice(0, b).split(' ');
  const close = message.indexOf('] ', b);
  if (head.length !== 3 || close < 0) return null;
  const time = clfTime(message.slice(b + 2, close));
  const t = splitQuoted(message.slice(close + 2));
  const last = t[t.length - 1];
  const tail = last && !last.quoted ? COMBINED_TAIL.exec(last.value) : null;
  const [req, status, bytes] = t;
  if (!time || !tail || !req?.quoted || !status || !bytes) return null;
  const doc: EcsDoc = { '@timestamp': time };
  const [client, , user] = head;
  setSource(doc, client);
  const rl = requestLine(req.value);
  const code = int(status.value);
  doc.http = httpDoc(rl, code, int(bytes.value), 'bytes');
  // combined: "referer" "user-agent" before the tail; common has neither.
  if (t.length >= 6 && t[3]!.quoted && t[3]!.value !== '-' && t[3]!.value !== '') {
    const http = doc.http as EcsDoc;
    http.request = { ...(http.request as EcsDoc | undefined), referrer: t[3]!.value };
  }
  if (t.length >= 6 && t[4]!.quoted && t[4]!.value !== '-' && t[4]!.value !== '') doc.user_agent = { original: t[4]!.value };
  request(doc, rl.method, rl.target);
  if (user && user !== '-') doc.user = { name: user };
  doc.squid = { hierarchy_code: tail[2]! };
  doc.event = webEvent(code, tail[1]);
  doc.observer = observer(hostname);
  return doc;
}

export default defineParser({
  id: 'squid',
  title: 'Squid proxy access log',
  description: 'Squid access.log in the native format and the predefined combined/common logformats, from files or syslog',
  input: 'text',
  // Before web-access: Squid's combined format is an access log with a %Ss:%Sh tail.
  priority: 70,
  requirements: ['B4'],
  parse({ message, syslog }) {
    const c = message.charCodeAt(0);
    let doc: EcsDoc | null = null;
    // Native signature: epoch seconds, '.', milliseconds, then blanks.
    if (c >= 0x31 && c <= 0x39 && message.charCodeAt(10) === 0x2e && message.charCodeAt(14) === 0x20) {
      const m = NATIVE.exec(message);
      doc = m ? native(m, syslog?.hostname) : null;
    } else if (message.charCodeAt(message.length - 1) !== 0x22 && message.includes('] "')) {
      doc = combined(message, syslog?.hostname);
    }
    if (!doc) return null;
    relatedHosts(doc);
    return webEvidence(doc);
  },
});
