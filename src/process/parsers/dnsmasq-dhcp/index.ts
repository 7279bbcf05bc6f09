// dnsmasq's DHCP server (syslog tag dnsmasq-dhcp): DHCPv4 and DHCPv6 exchanges, with the dhcp.*
// extension of docs/parsers.md. "DHCPACK(eth0) 10.0.0.50 aa:bb:cc:dd:ee:ff laptop".
import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { evidence, isIp, normaliseMac } from '../ecs.js';

// [xid ]DHCP<TYPE>(<interface>)[ rest]
const LINE = /^(?:(\d+) )?DHCP([A-Z][A-Z-]*)\(([^)]+)\)(?: (.*))?$/;
const NO_RANGE = /^no address range available for DHCP request via (\S+)$/;
const GRANTED = new Set(['ACK', 'REPLY']);
// What dnsmasq appends when it will not hand out an address.
const REFUSAL = /^(no address available|ignored|address not available|no address configured|wrong address|wrong network|wrong server-ID|lease not found|address in use|disabled|static lease available|not using configured address)/;
const HOSTNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function observer(hostname: string | undefined, iface: string | undefined): EcsDoc {
  const o: EcsDoc = { product: 'dnsmasq', type: 'dhcp' };
  if (hostname) o.hostname = hostname;
  if (iface) o.ingress = { interface: { name: iface } };
  return o;
}

export default defineParser({
  id: 'dnsmasq-dhcp',
  title: 'dnsmasq DHCP',
  description: 'dnsmasq DHCPv4/DHCPv6 server lines (DHCPDISCOVER ... DHCPNAK, "no address available"), syslog tag dnsmasq-dhcp',
  input: 'text',
  programs: ['dnsmasq-dhcp'],
  requirements: ['B7.1', 'B7.2'],
  parse({ message, syslog }) {
    const nr = NO_RANGE.exec(message);
    if (nr) {
      const via = nr[1]!;
      const doc: EcsDoc = {
        observer: observer(syslog?.hostname, isIp(via) ? undefined : via),
        event: { kind: 'event', category: ['network'], type: ['protocol', 'denied'], action: 'no-address-range', outcome: 'failure', reason: 'no address range available' },
      };
      if (isIp(via)) doc.dhcp = { relay: { ip: via } };
      return evidence(doc, ['B7.2'], ['P3e']);
    }
    const m = LINE.exec(message);
    if (!m) return null;
    const [, xid, type, iface, rest = ''] = m;
    const words = rest.split(' ').filter(Boolean);
    let address: string | undefined;
    if (words[0] && isIp(words[0])) address = words.shift();
    const hw = words[0] && /^[0-9a-fA-F]{1,2}(?::[0-9a-fA-F]{1,2})+$/.test(words[0]) ? words.shift() : undefined;
    const tail = words.join(' ');
    const dhcp: EcsDoc = { message_type: type! };
    const doc: EcsDoc = { observer: observer(syslog?.hostname, iface), dhcp };
    const mac = hw ? normaliseMac(hw) : null;
    if (mac) {
      doc.source = { mac };
      doc.client = { mac };
    } else if (hw) doc.dnsmasq = { dhcp: { client_id: hw } }; // a DHCPv6 DUID or a non-Ethernet address
    if (address) {
      doc.client = { ...(doc.client as EcsDoc | undefined), ip: address };
    }
    if (xid) doc.dnsmasq = { dhcp: { ...((doc.dnsmasq as EcsDoc | undefined)?.dhcp as EcsDoc | undefined), xid: Number(xid) } };

    const refused = type === 'NAK' || REFUSAL.test(tail);
    const granted = GRANTED.has(type!) && address !== undefined && !refused;
    const event: EcsDoc = { kind: 'event', category: ['network'], type: ['protocol'], action: `DHCP${type}` };
    if (granted) {
      (event.type as string[]).push('allowed');
      event.outcome = 'success';
      if (tail && HOSTNAME.test(tail)) dhcp.client = { hostname: tail };
    } else if (refused) {
      (event.type as string[]).push('denied');
      event.outcome = 'failure';
      if (tail) event.reason = tail;
    } else if (tail) {
      if ((type === 'OFFER' || type === 'ADVERTISE') && HOSTNAME.test(tail)) dhcp.client = { hostname: tail };
      else event.reason = tail;
    }
    doc.event = event;
    if (granted) return evidence(doc, ['B7.1'], ['P3e']);
    if (refused) return evidence(doc, ['B7.2'], ['P3e']);
    return evidence(doc, [], ['P3e']);
  },
});
