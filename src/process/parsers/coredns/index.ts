// CoreDNS log plugin (common/combined format) and errors plugin lines:
//   [INFO] 10.244.0.1:46321 - 32770 "A IN example.com. udp 29 false 512" NOERROR qr,rd,ra 106 0.000123s
//   [ERROR] plugin/errors: 2 example.com. A: read udp 10.244.0.5:43520->8.8.8.8:53: i/o timeout
import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { clfTime } from '../http-ecs.js';
import { dnsDoc, dnsEvent, dnsEvidence, dnsNetwork, setClient, setServer } from '../dns-ecs.js';

// {remote}:{port} - {>id} "{type} {class} {name} {proto} {size} {>do} {>bufsize}" {rcode} {>rflags} {rsize} {duration}[ {>opcode}]
// Old releases wrote "{remote} - [{when}] {>id} ..." with no port.
const QUERY =
  /^(?:\[?([0-9A-Fa-f.:]+?)\]?:(\d+)|([0-9A-Fa-f.:]+)) - (?:\[([^\]]*)\] )?(\d+) "(\S+) (\S+) (\S+) (\S+) (\d+) (true|false) (\d+)" (\S+) (\S*) (\d+) ([\d.]+)(s|ms|µs|us|ns)(?: (\S+))?$/;
const ERROR = /^plugin\/errors: (\d+) (\S+) (\S+): (.*)$/;
const LEVELS: Record<string, string> = { INFO: 'info', DEBUG: 'debug', WARNING: 'warning', ERROR: 'error', FATAL: 'fatal' };
const UNIT_NS: Record<string, number> = { s: 1e9, ms: 1e6, µs: 1e3, us: 1e3, ns: 1 };

function observer(hostname: string | undefined): EcsDoc {
  const o: EcsDoc = { product: 'CoreDNS', type: 'dns' };
  if (hostname) o.hostname = hostname;
  return o;
}

/** A Go duration ("0.032133958s") in nanoseconds, as an integer. */
function durationNs(value: string, unit: string): number {
  // Split on the decimal point to avoid float error on nanosecond precision.
  const [whole = '0', frac = ''] = value.split('.');
  const scale = UNIT_NS[unit] ?? 1;
  const digits = Math.round(Math.log10(scale));
  const fracNs = digits > 0 ? Number(frac.slice(0, digits).padEnd(digits, '0')) : 0;
  return Number(whole) * scale + fracNs;
}

export default defineParser({
  id: 'coredns',
  title: 'CoreDNS',
  description: 'CoreDNS log plugin query lines ([INFO] prefix and time stamp optional) and errors plugin lines',
  input: 'text',
  priority: 85,
  requirements: ['B3'],
  parse({ message, syslog }) {
    let text = message;
    let level: string | undefined;
    if (text.charCodeAt(0) === 0x5b /* [ */) {
      const close = text.indexOf('] ');
      const lv = close > 0 ? LEVELS[text.slice(1, close)] : undefined;
      if (lv) {
        level = lv;
        text = text.slice(close + 2);
      }
    }
    // Cheap signature before any regex: a query line has ' - ' then a quoted request.
    const dash = text.indexOf(' - ');
    if (dash > 0 && dash < 48 && text.indexOf('"', dash) > 0) {
      const m = QUERY.exec(text);
      if (!m) return null;
      const [, ip6or4, port, bareIp, when, id, qtype, qclass, name, proto, size, dnssecOk, bufsize, rcode, rflags, rsize, dur, unit, opcode] = m;
      const flags = rflags ? rflags.split(',') : [];
      if (dnssecOk === 'true') flags.push('DO');
      const doc: EcsDoc = { observer: observer(syslog?.hostname) };
      const ts = when ? clfTime(when) : undefined;
      if (ts) doc['@timestamp'] = ts;
      Object.assign(doc, dnsDoc({ type: 'answer', id: id!, name, qtype, qclass, rcode, flags }));
      if (opcode) (doc.dns as EcsDoc).op_code = opcode;
      const ip = ip6or4 ?? bareIp;
      setClient(doc, ip, port);
      (doc.source as EcsDoc).bytes = Number(size);
      doc.destination = { bytes: Number(rsize) };
      doc.network = { ...dnsNetwork(proto, ip), bytes: Number(size) + Number(rsize) };
      doc.event = { ...dnsEvent('query', rcode), duration: durationNs(dur!, unit!) };
      if (level) doc.log = { level };
      doc.coredns = { log: { buffer_size: Number(bufsize), dnssec_ok: dnssecOk === 'true' } };
      // rflags lists every header flag of the response: recursion desired/available is recorded.
      return dnsEvidence(doc, true);
    }
    const e = ERROR.exec(text);
    if (!e || level !== 'error') return null;
    const [, id, name, qtype, why] = e;
    const doc: EcsDoc = { observer: observer(syslog?.hostname) };
    Object.assign(doc, dnsDoc({ type: 'query', id: id!, name, qtype }));
    // "read udp 10.244.0.5:43520->8.8.8.8:53: i/o timeout": the upstream that did not answer.
    const up = /(udp|tcp) \[?([0-9A-Fa-f.:]+?)\]?:(\d+)->\[?([0-9A-Fa-f.:]+?)\]?:(\d+)/.exec(why!);
    if (up) {
      setServer(doc, up[4], up[5]);
      doc.network = dnsNetwork(up[1], up[4]);
    }
    doc.event = { ...dnsEvent('upstream-error'), outcome: 'failure' };
    doc.error = { message: why! };
    doc.log = { level };
    return dnsEvidence(doc, false);
  },
});
