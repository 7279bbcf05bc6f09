// ISC Kea DHCPv4/DHCPv6 server log lines, from syslog (program kea-dhcp4 / kea-dhcp6) or from Kea's
// own log files ("2026-11-23 08:00:01.123 INFO  [kea-dhcp4.leases/1234.140234] DHCP4_LEASE_ALLOC ...").
// Leases allocated (DHCP4_LEASE_ALLOC, with their length) evidence B7.1; NAKs, failed allocations and
// subnet-selection failures evidence B7.2. The subnet is logged only at debug level
// (DHCP4_SUBNET_SELECTED / DHCP4_SUBNET_DATA): when those lines are present they are remembered per
// transaction and the lease event carries dhcp.scope.id.
import { mergeInto, type EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { dhcpEvent, type DhcpFacts } from '../isc-dhcpd/dhcp.js';
import { macFromDuid } from '../isc-dhcpd/dhcpd6.js';
import type { ParserState } from '../state.js';
import { MESSAGES, PACKET_RECEIVED, PACKET_SEND } from './messages.js';

const LEVELS = new Set(['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']);
const LINE = /^(?:(DEBUG|INFO|WARN|ERROR|FATAL)\s+)?\[(kea-dhcp[46])\.([\w-]+)(?:\/(\d+)(?:\.(\d+))?)?\] ([A-Z][A-Z0-9_]+) ?(.*)$/s;

interface Subnet {
  id?: string;
  prefix?: string;
}

/** The client label Kea puts before most messages: "[hwtype=1 aa:..], cid=[..], tid=0x..: " (v6: "duid=[..], ..."). */
function splitLabel(text: string): { label?: string; rest: string } {
  if (!text.startsWith('[hwtype=') && !text.startsWith('[no hwaddr') && !text.startsWith('duid=')) return { rest: text };
  const tid = text.indexOf('tid=0x');
  const colon = tid >= 0 ? text.indexOf(': ', tid) : -1;
  if (colon < 0) return { rest: text };
  return { label: text.slice(0, colon), rest: text.slice(colon + 2) };
}

function kebab(id: string): string {
  return id.toLowerCase().replace(/_/g, '-');
}

function parseKea(level: string | undefined, family: string, logger: string, pid: string | undefined, thread: string | undefined, id: string, text: string, hostKey: string, state: ParserState): EcsDoc {
  const { label, rest } = splitLabel(text);
  const mac = label ? /\[hwtype=\d+ ([0-9A-Fa-f:]+)\]/.exec(label)?.[1] : undefined;
  const cid = label ? /cid=\[([^\]]*)\]/.exec(label)?.[1] : undefined;
  const duid = label ? /duid=\[([^\]]*)\]/.exec(label)?.[1] : undefined;
  const tid = label ? /tid=(0x[0-9A-Fa-f]+)/.exec(label)?.[1] : undefined;
  const v6 = family === 'kea-dhcp6';
  const key = tid ? `${hostKey}|${family}|${tid}` : undefined;

  const kea: EcsDoc = { logger: `${family}.${logger}` };
  if (pid) kea.pid = Number(pid);
  if (thread) kea.thread = thread;
  if (tid) kea.transaction_id = tid;
  if (cid && cid !== 'no info') kea.client_id = cid;
  if (duid) kea.duid = duid;

  // Debug-level subnet selection: remembered for the rest of the transaction.
  const sel = /^the subnet with ID (\d+) was selected/.exec(rest);
  const det = /^the selected subnet details: (\S+)/.exec(rest);
  if ((sel || det) && key) state.set(key, { ...state.get<Subnet>(key), ...(sel ? { id: sel[1] } : { prefix: det![1] }) } satisfies Subnet);

  const spec = MESSAGES[id];
  const g = (spec?.re?.exec(rest)?.groups ?? {}) as Record<string, string | undefined>;
  let msgType = spec?.type;
  let iface: string | undefined;
  const pkt = !spec && (id.endsWith('_PACKET_RECEIVED') || id.endsWith('_PACKET_SEND')) ? (id.endsWith('RECEIVED') ? PACKET_RECEIVED : PACKET_SEND).exec(rest)?.groups : undefined;
  if (pkt) {
    msgType = pkt.type!.replace(/^DHCP/, '');
    iface = pkt.iface;
  }
  const subnet = key ? state.get<Subnet>(key) : undefined;
  const scopeId = g.subnetId ?? subnet?.id ?? g.subnet ?? subnet?.prefix;
  if (g.subnet ?? subnet?.prefix) mergeInto(kea, { subnet: { prefix: (g.subnet ?? subnet?.prefix)! } });
  if (g.subnetId ?? subnet?.id) mergeInto(kea, { subnet: { id: Number(g.subnetId ?? subnet?.id) } });
  if (g.iaid) kea.iaid = Number(g.iaid);
  if (g.prefix) kea.prefix = `${g.prefix}/${g.len}`;

  const dropped = /_PACKET_DROP_/.test(id);
  const facts: DhcpFacts = {
    action: kebab(id),
    messageType: msgType,
    mac: mac ?? (duid ? macFromDuid(duid) : undefined) ?? (g.client ? /hwtype=\d+ ([0-9A-Fa-f:]+)/.exec(g.client)?.[1] : undefined),
    ip: g.ip && g.ip !== '0.0.0.0' ? g.ip : undefined,
    duration: g.secs && spec?.verdict === 'granted' ? Number(g.secs) : undefined,
    scopeId,
    relay: iface,
    // A packet dropped for a known client is a request the server would not serve.
    verdict: spec?.verdict ?? (dropped && mac ? 'refused' : 'other'),
    protocol: v6 ? 'dhcpv6' : 'dhcp',
  };
  const doc = dhcpEvent(facts);
  const event = doc.event as EcsDoc;
  event.code = id;
  if (!spec && !pkt && !dropped) {
    event.type = ['info'];
    // Server notices (start-up, lease-file cleanup) are not part of a client's exchange.
    if (!label) {
      delete event.category;
      delete doc.network;
    }
  }
  if (dropped) {
    event.outcome = 'failure';
    event.reason = rest;
  } else if (facts.verdict === 'refused') event.reason = rest;
  if (g.secs && spec?.type === 'DECLINE') kea.probation = Number(g.secs);
  doc.kea = kea;
  if (level) doc.log = { level: level.toLowerCase() };
  doc.message = text;
  return doc;
}

export default defineParser({
  id: 'kea-dhcp',
  title: 'ISC Kea DHCP server',
  description: 'Kea DHCPv4/DHCPv6 log lines (syslog or Kea log files): leases allocated, offered, released, refused',
  input: 'text',
  requirements: ['B7.1', 'B7.2'],
  parse({ message, program, syslog, state }) {
    // Cheap gate: a kea program name, or a Kea log-file line whose level the syslog reader took for a host.
    const fromFile = message.charCodeAt(0) === 0x5b /* [ */ && message.startsWith('[kea-dhcp');
    if (!fromFile && !(program !== undefined && program.startsWith('kea-dhcp'))) return null;
    const m = LINE.exec(message.trim());
    if (!m) return null;
    const [, lvl, family, logger, pid, thread, id, text] = m;
    const level = lvl ?? (fromFile && syslog?.hostname && LEVELS.has(syslog.hostname) ? syslog.hostname : undefined);
    const hostKey = fromFile ? '' : (syslog?.hostname ?? '');
    const doc = parseKea(level, family!, logger!, pid, thread, id!, text!, hostKey, state);
    mergeInto(doc, { observer: { vendor: 'ISC', product: 'Kea', type: 'dhcp', ...(!fromFile && syslog?.hostname ? { hostname: syslog.hostname } : {}) } });
    // A log-file line names no host: what the syslog reader took for the hostname was the level.
    if (fromFile) doc.host = { name: null, hostname: null };
    return doc;
  },
});
