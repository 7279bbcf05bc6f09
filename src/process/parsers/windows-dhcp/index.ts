// Windows DHCP Server audit log lines (IPv4 and IPv6): leases granted, renewed, released and refused,
// and the DNS registrations the server makes for its clients. The client is client.*/source.mac, the
// server the observer (docs/parsers.md: DHCP).
import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { evidence, normaliseMac } from '../ecs.js';
import { put } from '../windows/context.js';
import { ipField } from '../windows/values.js';
import { looksLikeDhcpAudit, parseDhcpLine, type DhcpLine } from './audit-log.js';
import { DHCPV6_EVENTS, DHCP_EVENTS, QRESULTS } from './event-ids.js';

export default defineParser({
  id: 'windows-dhcp',
  title: 'Windows DHCP Server audit log',
  description: 'Windows DHCP Server audit log lines (DhcpSrvLog / DhcpV6SrvLog CSV): leases, refusals, DNS updates',
  input: 'text',
  requirements: ['B7.1', 'B7.2'],
  parse({ message, syslog }) {
    if (!looksLikeDhcpAudit(message)) return null;
    const line = parseDhcpLine(message);
    return line ? toEcs(line, syslog?.hostname) : null;
  },
});

function toEcs(line: DhcpLine, server: string | undefined): EcsDoc {
  const kind = (line.v6 ? DHCPV6_EVENTS : DHCP_EVENTS)[line.id];
  const doc: EcsDoc = { '@timestamp': line.at.toISOString() };
  doc.event = { kind: 'event', code: line.id };
  put(doc, 'event.category', kind?.category);
  put(doc, 'event.type', kind?.type);
  put(doc, 'event.action', kind?.action);
  // As Elastic's integration: every documented event succeeded unless its ID says otherwise.
  if (kind) put(doc, 'event.outcome', kind.outcome ?? 'success');
  put(doc, 'event.reason', kind?.meaning);
  put(doc, 'message', line.description);
  put(doc, 'observer.hostname', server);
  put(doc, 'observer.vendor', 'Microsoft');
  put(doc, 'observer.product', 'DHCP Server');

  const ip = ipField(line.ip);
  put(doc, 'client.ip', ip);
  // Rogue-server detection lines (50+) name the server's AD domain in the Host Name column; address
  // conflicts (13) write the marker BAD_ADDRESS there.
  const host = line.hostName === 'BAD_ADDRESS' ? undefined : line.hostName;
  const rogue = !line.v6 && Number(line.id) >= 50;
  put(doc, rogue ? 'microsoft.dhcp.domain' : 'client.domain', host);
  if (!rogue) put(doc, 'dhcp.client.hostname', host);
  put(doc, 'dhcp.message_type', kind?.messageType);
  put(doc, 'user.name', line.userName);
  if (line.v6) {
    put(doc, 'dhcp.scope.id', line.subnetPrefix);
    put(doc, 'microsoft.dhcp.error_code', line.errorCode);
    put(doc, 'microsoft.dhcp.duid.length', line.duidLength === '0' ? undefined : line.duidLength);
    put(doc, 'microsoft.dhcp.duid.hex', line.duidHex);
  } else {
    // An all-zero address is what the server writes when there is no client (DNS and cleanup events).
    const mac = line.mac ? normaliseMac(line.mac) : null;
    if (mac && mac !== '00-00-00-00-00-00') {
      put(doc, 'client.mac', mac);
      put(doc, 'source.mac', mac);
    } else if (line.mac && !mac && !/^0+$/.test(line.mac)) put(doc, 'microsoft.dhcp.client_id', line.mac);
    put(doc, 'microsoft.dhcp.transaction_id', line.transactionId);
    put(doc, 'microsoft.dhcp.result', line.qResult);
    put(doc, 'microsoft.dhcp.result_description', line.qResult ? QRESULTS[line.qResult] : undefined);
    put(doc, 'microsoft.dhcp.probation_time', line.probationTime);
    put(doc, 'microsoft.dhcp.correlation_id', line.correlationId);
    put(doc, 'microsoft.dhcp.vendor.hex', line.vendorClassHex);
    put(doc, 'microsoft.dhcp.vendor.string', line.vendorClassAscii);
    put(doc, 'microsoft.dhcp.user.hex', line.userClassHex);
    put(doc, 'microsoft.dhcp.user.string', line.userClassAscii);
    put(doc, 'microsoft.dhcp.relay_agent_info', line.relayAgentInformation);
    put(doc, 'microsoft.dhcp.dns_error_code', line.dnsRegError);
  }
  put(doc, 'microsoft.dhcp.dhc_id', line.dhcid);
  if (kind?.requirements || kind?.principles) evidence(doc, kind.requirements ?? [], kind.principles ?? []);
  return doc;
}
