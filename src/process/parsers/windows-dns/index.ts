// Windows DNS Server debug log lines (dns.log). The DNS Server's analytic events
// (Microsoft-Windows-DNSServer/Analytical) arrive as Windows events and are mapped by ../windows
// (dns-server.ts) to the same dns.* fields.
import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { evidence } from '../ecs.js';
import { put } from '../windows/context.js';
import { ipField } from '../windows/values.js';
import { qtypeName, rcodeName } from './dns-codes.js';
import { looksLikeDnsDebug, parseDnsDebugLine, type DnsDebugLine } from './debug-log.js';

const OPCODES: Record<string, string> = { Q: 'QUERY', N: 'NOTIFY', U: 'UPDATE' };
const FLAG_NAMES: Record<string, string> = { A: 'AA', T: 'TC', D: 'RD', R: 'RA' };

export default defineParser({
  id: 'windows-dns',
  title: 'Windows DNS Server debug log',
  description: 'Windows DNS Server debug log (dns.log) packet lines: queries and responses with client, xid, flags, rcode, type and name',
  input: 'text',
  requirements: ['B3'],
  parse({ message, syslog }) {
    if (!looksLikeDnsDebug(message)) return null;
    const line = parseDnsDebugLine(message);
    if (!line) return null;
    return toEcs(line, syslog?.hostname);
  },
});

function toEcs(line: DnsDebugLine, server: string | undefined): EcsDoc {
  const doc: EcsDoc = {};
  doc['@timestamp'] = line.time.toISOString();
  put(doc, 'observer.hostname', server);
  put(doc, 'observer.vendor', 'Microsoft');
  put(doc, 'observer.product', 'Windows DNS Server');
  put(doc, 'observer.type', 'dns');
  put(doc, 'microsoft.dns.thread_id', line.thread);
  put(doc, 'microsoft.dns.context', line.context);
  const p = line.packet;
  if (!p) {
    put(doc, 'message', line.text);
    return doc;
  }
  const received = p.direction === 'Rcv';
  // Who is the client: the remote end of queries the server receives and responses it sends; the
  // server itself when it forwards or recurses (queries it sends, responses it receives).
  const remoteIsClient = received !== p.response;
  const remote = ipField(p.remote);
  const opcode = OPCODES[p.opcode];
  doc.event = {
    kind: 'event',
    category: ['network'],
    type: ['protocol'],
    action: `${p.response ? 'response' : 'query'}-${received ? 'received' : 'sent'}`,
  };
  put(doc, 'network.protocol', 'dns');
  put(doc, 'network.transport', p.protocol.toLowerCase());
  put(doc, received ? 'source.ip' : 'destination.ip', remote);
  put(doc, remoteIsClient ? 'client.ip' : 'server.ip', remote);
  put(doc, 'dns.type', p.response ? 'answer' : 'query');
  put(doc, 'dns.id', /^[0-9a-fA-F]{1,4}$/.test(p.xid) ? String(parseInt(p.xid, 16)) : p.xid);
  put(doc, 'dns.op_code', opcode ?? p.opcode);
  put(doc, 'dns.header_flags', p.flagChars ? [...p.flagChars].map((c) => FLAG_NAMES[c]).filter((f): f is string => !!f) : undefined);
  put(doc, 'dns.question.name', p.qname);
  put(doc, 'dns.question.type', p.qtype ? qtypeName(p.qtype) : undefined);
  if (p.response && p.rcode) {
    const rcode = rcodeName(p.rcode);
    put(doc, 'dns.response_code', rcode);
    put(doc, 'event.outcome', rcode === 'NOERROR' ? 'success' : 'failure');
  }
  put(doc, 'microsoft.dns.packet_id', p.id);
  put(doc, 'microsoft.dns.xid', p.xid);
  put(doc, 'microsoft.dns.flags', p.flagsHex);
  if (p.opcode === 'U') evidence(doc, [], ['P4c']);
  // The RD/RA letters record whether recursion was asked for and offered.
  else if (p.opcode === 'Q') evidence(doc, ['B3'], p.flagsHex ? ['P4a', 'P4b'] : ['P4a']);
  if (p.error) put(doc, 'vigil.parse', { status: 'partial', error: p.error });
  return doc;
}
