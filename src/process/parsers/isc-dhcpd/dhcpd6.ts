// ISC dhcpd's DHCPv6 lines (server/dhcpv6.c), and Infoblox's "Encapsulated ..." relay variants.
import type { EcsDoc } from '../../../core/event.js';
import { normaliseMac } from '../ecs.js';
import { dhcpEvent } from './dhcp.js';

const LEASE = /^(Advertise|Reply) (NA|TA|PD): (address|prefix) (\S+) to client with duid (\S+) iaid = (-?\d+) valid for (\d+) seconds/;
const RECEIVED = /^(?:Encapsulated )?([A-Z][A-Za-z-]+) message from (\S+) port (\d+)(?:,| from client DUID (\S+),) (?:transaction ID (0x[0-9A-Fa-f]+)|link address (\S+), peer address (\S+))/;
const SENT = /^(?:Sending|Encapsulating) ([A-Z][A-Za-z-]+)(?: message)? to (?:send to )?(\S+) port (\d+)/;

/** The link-layer address inside a DUID-LLT (00:01:00:01:time:mac) or DUID-LL (00:03:00:01:mac), if any. */
export function macFromDuid(duid: string): string | undefined {
  const b = duid.toLowerCase().split(':');
  if (b.length === 14 && b[0] === '00' && b[1] === '01' && b[2] === '00' && b[3] === '01') return normaliseMac(b.slice(8).join(':')) ?? undefined;
  if (b.length === 10 && b[0] === '00' && b[1] === '03' && b[2] === '00' && b[3] === '01') return normaliseMac(b.slice(4).join(':')) ?? undefined;
  return undefined;
}

export function parseV6(message: string): EcsDoc | null {
  let m = LEASE.exec(message);
  if (m) {
    const [, reply, ia, , addr, duid, iaid, secs] = m;
    // A Reply binds the address; an Advertise only offers it.
    const doc = dhcpEvent({
      action: `dhcpv6-${reply!.toLowerCase()}`,
      messageType: reply === 'Reply' ? 'REPLY' : 'ADVERTISE',
      mac: macFromDuid(duid!),
      ip: ia === 'PD' ? undefined : addr,
      duration: Number(secs),
      verdict: reply === 'Reply' ? 'granted' : 'other',
      protocol: 'dhcpv6',
    });
    doc.isc_dhcpd = { duid: duid!, iaid: Number(iaid), ia_type: ia!, ...(ia === 'PD' ? { prefix: addr! } : {}) };
    return doc;
  }
  m = RECEIVED.exec(message);
  if (m) {
    const [, type, from, port, duid, xid, link, peer] = m;
    const doc = dhcpEvent({ action: `dhcpv6-${type!.toLowerCase()}`, messageType: type!.toUpperCase(), verdict: 'other', protocol: 'dhcpv6' });
    doc.source = { ip: from!, port: Number(port) };
    const v: EcsDoc = {};
    if (duid) v.duid = duid;
    if (xid) v.transaction_id = xid;
    if (link) v.link_address = link;
    if (peer) v.peer_address = peer;
    if (Object.keys(v).length) doc.isc_dhcpd = v;
    return doc;
  }
  m = SENT.exec(message);
  if (m) {
    const [, type, to, port] = m;
    const doc = dhcpEvent({ action: `dhcpv6-${type!.toLowerCase()}`, messageType: type!.toUpperCase(), verdict: 'other', protocol: 'dhcpv6' });
    doc.destination = { ip: to!, port: Number(port) };
    return doc;
  }
  return null;
}
