// nginx and Apache httpd access logs: common, combined (nginx's default "main" with its trailing
// X-Forwarded-For too) and vhost_combined, from files or syslog.
//   10.0.0.5 - alice [23/Nov/2026:08:00:01 +0000] "GET /path?q=1 HTTP/1.1" 200 512 "ref" "UA"
import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { isIp } from '../ecs.js';
import { clfTime, httpDoc, int, relatedHosts, requestLine, setSource, urlDoc, webEvent, webEvidence } from '../http-ecs.js';
import { splitQuoted } from '../quoted-fields.js';

const PRODUCTS: Record<string, EcsDoc> = {
  nginx: { product: 'nginx' },
  httpd: { vendor: 'Apache', product: 'httpd' },
  apache2: { vendor: 'Apache', product: 'httpd' },
};

const dash = (v: string | undefined): string | undefined => (v === undefined || v === '-' || v === '' ? undefined : v);

export default defineParser({
  id: 'web-access',
  title: 'nginx / Apache httpd access log',
  description: 'NCSA common and combined access logs (nginx, Apache httpd, and anything writing them), vhost_combined, from files or syslog (nginx, httpd, apache2)',
  input: 'text',
  // Text parsers without a program are tried in priority order on every unbound line: the busiest
  // sources (BIND 60, squid 70, access logs 75) go first, the rarer file formats (85-90) after.
  priority: 75,
  requirements: ['B4'],
  parse({ message, syslog, program }) {
    // Signature: " [dd/Mon/yyyy:" within the first few hundred characters.
    const b = message.indexOf(' [');
    if (b <= 0 || b > 400 || message.charCodeAt(b + 4) !== 0x2f || message.charCodeAt(b + 8) !== 0x2f) return null;
    const head = message.slice(0, b).split(' ');
    if (head.length !== 3 && head.length !== 4) return null;
    const close = message.indexOf('] ', b);
    if (close < 0) return null;
    const time = clfTime(message.slice(b + 2, close));
    if (!time) return null;
    const t = splitQuoted(message.slice(close + 2));
    const [req, status, bytes, referrer, agent, ...extra] = t;
    if (!req?.quoted || !status || !bytes || (status.value !== '-' && !/^\d{3}$/.test(status.value))) return null;
    // Squid's "combined" logformat ends with %Ss:%Sh (TCP_MISS:HIER_DIRECT): the squid parser's.
    const last = t[t.length - 1]!;
    if (!last.quoted && /^[A-Z_]+:[A-Z_]+$/.test(last.value)) return null;

    const vhost = head.length === 4 ? head.shift() : undefined;
    const [client, ident, user] = head;
    const doc: EcsDoc = { '@timestamp': time };
    setSource(doc, client);
    if (dash(user)) doc.user = { name: user! };
    const rl = requestLine(req.value);
    const code = int(status.value);
    // %b / $body_bytes_sent are body bytes; vhost_combined's %O counts the headers too.
    doc.http = httpDoc(rl, code, int(bytes.value), vhost ? 'bytes' : 'body.bytes');
    if (referrer?.quoted && dash(referrer.value)) {
      const http = doc.http as EcsDoc;
      http.request = { ...(http.request as EcsDoc | undefined), referrer: referrer.value };
    }
    if (rl.target) {
      const u = urlDoc(rl.target, rl.method);
      doc.url = u.url;
      if (u.destination) doc.destination = u.destination;
    }
    if (agent?.quoted && dash(agent.value)) doc.user_agent = { original: agent.value };
    if (vhost) {
      const colon = vhost.lastIndexOf(':');
      const host = colon > 0 ? vhost.slice(0, colon) : vhost;
      const port = colon > 0 ? int(vhost.slice(colon + 1)) : undefined;
      const dst: EcsDoc = isIp(host) ? { address: host, ip: host } : { address: host, domain: host };
      if (port !== undefined) dst.port = port;
      doc.destination = { ...dst, ...(doc.destination as EcsDoc | undefined) };
    }
    const wa: EcsDoc = {};
    if (dash(ident)) wa.ident = ident!;
    if (!rl.method && dash(req.value)) wa.request = req.value;
    // nginx's default "main" format appends "$http_x_forwarded_for".
    const xff = extra[0];
    if (xff?.quoted && dash(xff.value) && /^[0-9A-Fa-f.:, ]+$/.test(xff.value)) wa.forwarded_for = xff.value.split(/,\s*/).filter(Boolean);
    if (Object.keys(wa).length) doc.web_access = wa;
    doc.event = webEvent(code);
    const obs = program ? PRODUCTS[program] : undefined;
    if (obs) doc.observer = { ...obs, ...(syslog?.hostname ? { hostname: syslog.hostname } : {}) };
    relatedHosts(doc);
    return webEvidence(doc);
  },
});
