// ISC DHCP server (dhcpd) syslog lines: the DHCP message exchange for v4 and v6, lease-file writes and
// the server's own notices. Leases granted (DHCPACK, BOOTREPLY, v6 Reply) evidence B7.1; NAKs and
// requests the server could not serve evidence B7.2. Stock dhcpd logs no scope or lease length on a
// DHCPACK; Infoblox NIOS (which runs dhcpd) appends "lease-duration N", read when present.
import { mergeInto, type EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { dhcpMac } from './dhcp.js';
import { parseV4 } from './dhcpd.js';
import { parseV6 } from './dhcpd6.js';

const DHCP_WORD = /^(DHCP[A-Z]+|BOOTREQUEST|BOOTREPLY)\b/;

function notices(message: string): EcsDoc | null {
  let m = /^uid lease (\S+) for client (\S+) is duplicate on (\S+)/.exec(message);
  if (m) {
    const mac = dhcpMac(m[2]!);
    return {
      event: { kind: 'event', category: ['network'], type: ['info'], action: 'uid-lease-duplicate' },
      client: { ip: m[1]!, ...(mac ? { mac } : {}) },
      ...(mac ? { source: { mac } } : {}),
      dhcp: { scope: { id: m[3]! } },
    };
  }
  m = /^Wrote (\d+) (leases|new dynamic host decls|deleted host decls) to leases file/.exec(message);
  if (m) return { event: { kind: 'event', category: ['database'], type: ['change'], action: 'leases-file-written' }, isc_dhcpd: { leases_written: Number(m[1]), written: m[2]! } };
  m = /^Abandoning IP address (\S+): (.*?)\.?$/.exec(message);
  if (m) return { event: { kind: 'event', category: ['network'], type: ['info'], action: 'lease-abandoned', reason: m[2]! }, client: { ip: m[1]! } };
  return null;
}

export default defineParser({
  id: 'isc-dhcpd',
  title: 'ISC DHCP server (dhcpd)',
  description: 'ISC dhcpd syslog lines (v4 and v6), including the Infoblox NIOS variants: DHCP exchange, leases granted and refused',
  input: 'text',
  programs: ['dhcpd', 'dhcpdv6', 'dhcpd6'],
  requirements: ['B7.1', 'B7.2'],
  parse({ message, syslog }) {
    const text = message.trim();
    let doc = parseV4(text) ?? parseV6(text) ?? notices(text);
    if (!doc) {
      const word = DHCP_WORD.exec(text);
      doc = word ? { event: { kind: 'event', category: ['network'], type: ['protocol'] } } : { event: { kind: 'event', type: ['info'] } };
      // A DHCP message line in a layout this parser does not know: say so rather than guess.
      if (word) {
        mergeInto(doc, { event: { action: word[1]!.toLowerCase() }, vigil: { parse: { status: 'partial', error: `unrecognised ${word[1]} layout` } } });
        if (word[1]!.startsWith('DHCP')) mergeInto(doc, { dhcp: { message_type: word[1]!.slice(4) } });
      }
    }
    // The server is the observer of the exchange (docs/parsers.md, dhcp.*).
    mergeInto(doc, { observer: { vendor: 'ISC', product: 'dhcpd', type: 'dhcp', ...(syslog?.hostname ? { hostname: syslog.hostname } : {}) } });
    return doc;
  },
});
