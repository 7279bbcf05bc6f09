// Windows DNS Server analytic events (Microsoft-Windows-DNSServer/Analytical, 256-280) read as any other
// Windows event, with their DNS fields (QNAME, QTYPE, XID, RCODE, Source/Destination, InterfaceIP,
// Zone) mapped to dns.*, client/server and source/destination. The server is the observer.
import { categorise, put, tag, type MapContext } from './context.js';
import { qtypeName, rcodeName } from '../windows-dns/dns-codes.js';
import { field, ipField, portField } from './values.js';

export const DNS_SERVER_PROVIDER = 'Microsoft-Windows-DNSServer';

type Direction = 'in' | 'out';
/** action, dns.type, packet direction as seen by the server, and whether the server is the client. */
const EVENTS: Record<string, [action: string, type: 'query' | 'answer' | undefined, dir: Direction, serverIsClient: boolean]> = {
  '256': ['query-received', 'query', 'in', false],
  '257': ['response-success', 'answer', 'out', false],
  '258': ['response-failure', 'answer', 'out', false],
  '259': ['ignored-query', 'query', 'in', false],
  '260': ['recurse-query-out', 'query', 'out', true],
  '261': ['recurse-response-in', 'answer', 'in', true],
  '262': ['recurse-query-timeout', 'query', 'out', true],
  '263': ['dynamic-update-received', 'query', 'in', false],
  '264': ['dynamic-update-response', 'answer', 'out', false],
  '265': ['ixfr-request-out', 'query', 'out', true],
  '266': ['ixfr-request-received', 'query', 'in', false],
  '267': ['ixfr-response-out', 'answer', 'out', false],
  '268': ['ixfr-response-received', 'answer', 'in', true],
  '269': ['axfr-request-out', 'query', 'out', true],
  '270': ['axfr-request-received', 'query', 'in', false],
  '271': ['axfr-response-out', 'answer', 'out', false],
  '272': ['axfr-response-received', 'answer', 'in', true],
  '273': ['notify-request-received', 'query', 'in', false],
  '274': ['notify-ack-received', 'answer', 'in', true],
  '275': ['notify-request-out', 'query', 'out', true],
  '276': ['notify-ack-out', 'answer', 'out', false],
  '277': ['update-forwarded', 'query', 'out', true],
  '278': ['update-response-in', 'answer', 'in', true],
  '279': ['internal-lookup-cname', undefined, 'in', false],
  '280': ['internal-lookup-additional', undefined, 'in', false],
};

export function mapDnsServer(ctx: MapContext): void {
  const { doc, id, data } = ctx;
  const kind = EVENTS[id];
  if (!kind) return;
  const [action, type, dir, serverIsClient] = kind;
  categorise(doc, ['network'], ['protocol'], action);
  put(doc, 'network.protocol', 'dns');
  put(doc, 'network.transport', field(data, 'TCP') === '1' ? 'tcp' : field(data, 'TCP') === '0' ? 'udp' : undefined);
  put(doc, 'dns.type', type);
  const qname = field(data, 'QNAME');
  put(doc, 'dns.question.name', qname && qname.length > 1 && qname.endsWith('.') ? qname.slice(0, -1) : qname);
  const qtype = field(data, 'QTYPE');
  put(doc, 'dns.question.type', qtype ? qtypeName(qtype) : undefined);
  put(doc, 'dns.id', field(data, 'XID'));
  const rcode = field(data, 'RCODE');
  if (rcode !== undefined) {
    const name = rcodeName(rcode);
    put(doc, 'dns.response_code', name);
    put(doc, 'event.outcome', name === 'NOERROR' ? 'success' : 'failure');
  } else if (id === '258' || id === '262') put(doc, 'event.outcome', 'failure');
  // The zone the answer came from: ECS has no field for it; Vigil's DNS requirement asks for it.
  put(doc, 'dns.zone', field(data, 'Zone'));
  const flags: string[] = [];
  if (field(data, 'AA') === '1') flags.push('AA');
  if (field(data, 'AD') === '1') flags.push('AD');
  if (field(data, 'RD') === '1') flags.push('RD');
  put(doc, 'dns.header_flags', flags);

  // The peer is Source on received packets and Destination on sent ones; InterfaceIP is the server.
  const peer = ipField(field(data, dir === 'in' ? 'Source' : 'Destination'));
  const port = portField(field(data, 'Port'));
  const local = ipField(field(data, 'InterfaceIP'));
  const localIp = local && local !== '0.0.0.0' && local !== '::' ? local : undefined;
  put(doc, dir === 'in' ? 'source.ip' : 'destination.ip', peer);
  put(doc, dir === 'in' ? 'source.port' : 'destination.port', port);
  put(doc, dir === 'in' ? 'destination.ip' : 'source.ip', localIp);
  put(doc, serverIsClient ? 'server.ip' : 'client.ip', peer);
  put(doc, serverIsClient ? 'server.port' : 'client.port', port);
  put(doc, serverIsClient ? 'client.ip' : 'server.ip', localIp);
  put(doc, 'observer.ip', localIp ? [localIp] : undefined);
  put(doc, 'observer.hostname', ctx.ev.system.computer);
  put(doc, 'observer.vendor', 'Microsoft');
  put(doc, 'observer.product', 'Windows DNS Server');
  put(doc, 'observer.type', 'dns');

  if (id === '263' || id === '264' || id === '277' || id === '278') tag(ctx, [], ['P4c']);
  else if (Number(id) <= 262) tag(ctx, ['B3'], ['P4a']);
}
