// DHCP building blocks shared by the isc-dhcpd and kea-dhcp parsers: the dhcp.* extension of
// docs/parsers.md, the client (source.mac / client.mac / client.ip), and the lease-granted / refused
// tagging. A candidate for a shared parsers/dhcp.ts once a third DHCP source (Windows, dnsmasq) needs it.
import type { EcsDoc } from '../../../core/event.js';
import { evidence, isIp, normaliseMac } from '../ecs.js';

export type DhcpVerdict = 'granted' | 'refused' | 'released' | 'other';

export interface DhcpFacts {
  action: string;
  messageType?: string;
  mac?: string;
  ip?: string;
  hostname?: string;
  duration?: number;
  scopeId?: string;
  relay?: string;
  verdict: DhcpVerdict;
  reason?: string;
  /** Family: 'dhcp' for v4, 'dhcpv6'. */
  protocol?: 'dhcp' | 'dhcpv6';
}

/** The ECS fields every DHCP event shares; the caller adds its vendor namespace. */
export function dhcpEvent(f: DhcpFacts): EcsDoc {
  const event: EcsDoc = { kind: 'event', category: ['network'], action: f.action };
  const doc: EcsDoc = { event, network: { protocol: f.protocol ?? 'dhcp', transport: 'udp' } };
  const dhcp: EcsDoc = {};
  if (f.messageType) dhcp.message_type = f.messageType;
  if (f.duration !== undefined && Number.isFinite(f.duration)) dhcp.lease = { duration: f.duration };
  if (f.scopeId) dhcp.scope = { id: f.scopeId };
  if (f.hostname) dhcp.client = { hostname: f.hostname };
  if (f.relay && isIp(f.relay)) dhcp.relay = { ip: f.relay };
  if (Object.keys(dhcp).length) doc.dhcp = dhcp;

  const mac = f.mac ? dhcpMac(f.mac) : undefined;
  const client: EcsDoc = {};
  if (mac) {
    doc.source = { mac };
    client.mac = mac;
  }
  if (f.ip && isIp(f.ip)) client.ip = f.ip;
  if (Object.keys(client).length) doc.client = client;
  // "via eth0": the interface the server heard the client on.
  if (f.relay && !isIp(f.relay)) doc.observer = { ingress: { interface: { name: f.relay } } };
  if (f.reason) event.reason = f.reason;

  switch (f.verdict) {
    case 'granted':
      event.type = ['allowed', 'connection'];
      event.outcome = 'success';
      evidence(doc, ['B7.1'], ['P3e']);
      break;
    case 'refused':
      event.type = ['denied', 'connection'];
      event.outcome = 'failure';
      evidence(doc, ['B7.2'], ['P3e']);
      break;
    case 'released':
      // The end of an address binding: still evidence of who held which address (P3e).
      event.type = ['end', 'connection'];
      evidence(doc, [], ['P3e']);
      break;
    default:
      event.type = ['protocol'];
  }
  return doc;
}

/** A MAC as dhcpd prints it: colon groups without leading zeros ("0:1e:c9:a:3f:b1") are padded first. */
export function dhcpMac(mac: string): string | undefined {
  const groups = mac.split(':');
  const padded = groups.length === 6 && groups.every((g) => /^[0-9A-Fa-f]{1,2}$/.test(g)) ? groups.map((g) => g.padStart(2, '0')).join(':') : mac;
  return normaliseMac(padded) ?? undefined;
}
