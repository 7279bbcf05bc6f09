// AWS Application Load Balancer access logs (docs.aws.amazon.com/elasticloadbalancing/latest/application/
// load-balancer-access-logs.html), fields in the documented order; names follow Elastic's aws.elb.*.
import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { isIp } from '../ecs.js';
import { httpDoc, int, relatedHosts, requestLine, setSource, urlDoc, webEvent, webEvidence } from '../http-ecs.js';
import { splitQuoted } from '../quoted-fields.js';

const TYPES = new Set(['http', 'https', 'h2', 'grpcs', 'ws', 'wss']);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const val = (v: string | undefined): string | undefined => (v === undefined || v === '-' || v === '' ? undefined : v);
const sec = (v: string | undefined): number | undefined => (v === undefined || v === '-1' || !/^\d+(\.\d+)?$/.test(v) ? undefined : Number(v));

function hostPort(v: string | undefined): { ip: string; port: number } | undefined {
  const s = val(v);
  const colon = s ? s.lastIndexOf(':') : -1;
  if (!s || colon < 0) return undefined;
  const ip = s.slice(0, colon);
  const port = Number(s.slice(colon + 1));
  return isIp(ip) && Number.isInteger(port) ? { ip, port } : undefined;
}

function set(o: EcsDoc, key: string, v: EcsDoc[string]): void {
  if (v !== undefined && v !== null) o[key] = v;
}

export default defineParser({
  id: 'aws-alb',
  title: 'AWS Application Load Balancer access logs',
  description: 'ALB access log entries (http, https, h2, grpcs, ws, wss), space-separated with quoted fields, from S3',
  input: 'text',
  priority: 85,
  requirements: ['B4'],
  parse({ message }) {
    // Signature: a short type word, then an ISO time stamp.
    const sp = message.indexOf(' ');
    if (sp < 2 || sp > 5 || message.charCodeAt(sp + 1) !== 0x32 /* 2 */ || !TYPES.has(message.slice(0, sp))) return null;
    const f = splitQuoted(message).map((t) => t.value);
    if (f.length < 16 || !ISO.test(f[1]!)) return null;
    const doc: EcsDoc = { '@timestamp': new Date(f[1]!).toISOString() };
    const elb: EcsDoc = { type: f[0]!, protocol: 'http' };
    set(elb, 'name', val(f[2]));
    const client = hostPort(f[3]);
    if (client) setSource(doc, client.ip, client.port);
    const target = hostPort(f[4]);
    if (target) elb.backend = { ip: target.ip, port: target.port };
    const rpt = sec(f[5]);
    if (rpt !== undefined) elb.request_processing_time = { sec: rpt };
    const bpt = sec(f[6]);
    if (bpt !== undefined) elb.backend_processing_time = { sec: bpt };
    const spt = sec(f[7]);
    if (spt !== undefined) elb.response_processing_time = { sec: spt };
    const status = int(f[8]);
    const targetStatus = int(f[9]);
    if (targetStatus !== undefined) elb.backend = { ...(elb.backend as EcsDoc | undefined), http: { response: { status_code: targetStatus } } };
    // The request is "- - - " when the load balancer could not read one.
    const rl = requestLine(f[12]!.trim());
    doc.http = httpDoc(rl, status, int(f[11]), 'body.bytes');
    const received = int(f[10]);
    if (received !== undefined) {
      const http = doc.http as EcsDoc;
      http.request = { ...(http.request as EcsDoc | undefined), body: { bytes: received } };
    }
    if (rl.target) doc.url = urlDoc(rl.target, rl.method).url;
    const ua = val(f[13]);
    if (ua) doc.user_agent = { original: ua };
    const cipher = val(f[14]);
    const proto = val(f[15]);
    const tls: EcsDoc = {};
    if (cipher) tls.cipher = elb.ssl_cipher = cipher;
    if (proto) {
      elb.ssl_protocol = proto;
      const m = /^([A-Za-z]+)v(\d)(?:\.?(\d))?$/.exec(proto); // TLSv1.2, TLSv12
      if (m) {
        tls.version_protocol = m[1]!.toLowerCase();
        tls.version = m[3] !== undefined ? `${m[2]}.${m[3]}` : m[2]!;
      }
    }
    const tg = val(f[16]);
    if (tg) elb.target_group = { arn: tg };
    const trace = val(f[17]);
    if (trace) {
      elb.trace_id = trace;
      doc.trace = { id: trace };
    }
    const domain = val(f[18]);
    if (domain) {
      doc.destination = { domain };
      tls.client = { server_name: domain }; // the SNI the client sent
    }
    if (Object.keys(tls).length) doc.tls = tls;
    const cert = val(f[19]);
    if (cert) elb.chosen_cert = { arn: cert };
    const prio = val(f[20]);
    if (prio && prio !== '-1') elb.matched_rule_priority = prio;
    const start = val(f[21]);
    const event = webEvent(status);
    if (start && ISO.test(start)) event.start = new Date(start).toISOString();
    event.end = doc['@timestamp'] as string;
    const actions = val(f[22]);
    if (actions) elb.action_executed = actions.split(',');
    set(elb, 'redirect_url', val(f[23]));
    const reason = val(f[24]);
    if (reason) elb.error = { reason };
    const ports = val(f[25]);
    if (ports) elb.target_port = ports.split(' ');
    const codes = val(f[26]);
    if (codes) elb.target_status_code = codes.split(' ');
    set(elb, 'classification', val(f[27]));
    set(elb, 'classification_reason', val(f[28]));
    set(elb, 'connection_trace_id', val(f[29]));
    set(elb, 'transformed_host', val(f[30]));
    set(elb, 'transformed_uri', val(f[31]));
    set(elb, 'request_transform_status', val(f[32]));
    doc.aws = { elb };
    doc.cloud = { provider: 'aws' };
    doc.event = event;
    doc.observer = { vendor: 'AWS', product: 'Elastic Load Balancing', type: 'proxy' };
    relatedHosts(doc);
    return webEvidence(doc);
  },
});
