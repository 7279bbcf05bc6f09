// Amazon Route 53 Resolver query logs (JSON, one query and its response per record), including the
// DNS Firewall fields. Field names follow Elastic's aws.route53_resolver_logs where it has them.
import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { dnsDoc, dnsEvent, dnsEvidence, dnsNetwork, setClient, type DnsAnswer } from '../dns-ecs.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/** "2021-02-04T17:51:55Z"; exports also show "2022-06-25 00:27:53" (UTC, no zone). */
function timestamp(v: unknown): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(s) ? `${s.replace(' ', 'T')}${/[zZ]|[+-]\d{2}:?\d{2}$/.test(s) ? '' : 'Z'}` : s;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function answers(v: unknown): DnsAnswer[] {
  const list = Array.isArray(v) ? v : v && typeof v === 'object' ? [v] : [];
  const out: DnsAnswer[] = [];
  for (const a of list) {
    if (!a || typeof a !== 'object') continue;
    const r = a as Record<string, unknown>;
    out.push({ data: str(r.Rdata), type: str(r.Type), class: str(r.Class) });
  }
  return out;
}

export default defineParser({
  id: 'route53-resolver',
  title: 'Amazon Route 53 Resolver query logs',
  description: 'Route 53 Resolver query logging JSON (VPC DNS queries, DNS Firewall actions), from S3, CloudWatch Logs or Firehose',
  input: 'json',
  requirements: ['B3'],
  parse({ json }) {
    if (!json || json.query_name === undefined || json.query_timestamp === undefined) return null;
    const rcode = str(json.rcode);
    const doc: EcsDoc = {};
    const ts = timestamp(json.query_timestamp);
    if (ts) doc['@timestamp'] = ts;
    Object.assign(doc, dnsDoc({ type: 'answer', name: str(json.query_name), qtype: str(json.query_type), qclass: str(json.query_class), rcode, answers: answers(json.answers) }));
    const src = str(json.srcaddr);
    setClient(doc, src, str(json.srcport));
    doc.network = dnsNetwork(str(json.transport), src);
    const action = str(json.firewall_rule_action);
    doc.event = dnsEvent('query', rcode, action === 'BLOCK' ? ['denied'] : action === 'ALERT' ? ['info'] : []);
    if (action === 'ALERT') (doc.event as EcsDoc).kind = 'alert';
    const cloud: EcsDoc = { provider: 'aws' };
    if (str(json.account_id)) cloud.account = { id: str(json.account_id)! };
    if (str(json.region)) cloud.region = str(json.region)!;
    const srcids = (json.srcids && typeof json.srcids === 'object' ? json.srcids : {}) as Record<string, unknown>;
    const instance = str(srcids.instance);
    if (instance) cloud.instance = { id: instance };
    doc.cloud = cloud;
    const aws: EcsDoc = {};
    if (str(json.vpc_id)) aws.vpc_id = str(json.vpc_id)!;
    if (instance) aws.instance_id = instance;
    const route53: EcsDoc = {};
    if (str(json.version)) route53.version = str(json.version)!;
    const endpoint = str(srcids.resolver_endpoint);
    if (endpoint) route53.srcids = { resolver_endpoint: endpoint, ...(str(srcids.resolver_network_interface) ? { resolver_network_interface: str(srcids.resolver_network_interface)! } : {}) };
    if (action) {
      const fw: EcsDoc = { action };
      if (str(json.firewall_rule_group_id)) fw.rule_group = { id: str(json.firewall_rule_group_id)! };
      if (str(json.firewall_domain_list_id)) fw.domain_list = { id: str(json.firewall_domain_list_id)! };
      if (str(json.firewall_protection)) fw.protection = str(json.firewall_protection)!;
      route53.firewall = fw;
    }
    if (Object.keys(route53).length) aws.route53 = route53;
    if (Object.keys(aws).length) doc.aws = aws;
    doc.observer = { vendor: 'AWS', product: 'Route 53 Resolver', type: 'dns' };
    // Resolver logs carry no header flags: recursion status is not recorded.
    return dnsEvidence(doc, false);
  },
});
