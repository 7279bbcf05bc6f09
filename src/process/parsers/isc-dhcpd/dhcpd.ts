// ISC dhcpd log lines (server/dhcp.c, dhcpv6.c), including the extra tokens Infoblox NIOS appends
// (TransID, uid, relay, lease-duration, offered-duration, "(RENEW)").
import { mergeInto, type EcsDoc } from '../../../core/event.js';
import { isIp } from '../ecs.js';
import { dhcpEvent, type DhcpFacts } from './dhcp.js';

const MAC = '((?:[0-9A-Fa-f]{1,2}:){5}[0-9A-Fa-f]{1,2})';
const IP = '(\\d{1,3}(?:\\.\\d{1,3}){3})'; // dhcpd's v4 lines name IPv4 addresses only
const HOST = '(?: \\(([^)]*)\\))?';

// v4: one shape per message type. The tail (extras and ": reason") is read separately.
const V4: { re: RegExp; type: string; fields: ('ip' | 'mac' | 'host' | 'via' | 'server')[] }[] = [
  { re: new RegExp(`^DHCPDISCOVER from ${MAC}${HOST} via (\\S+)(.*)$`), type: 'DISCOVER', fields: ['mac', 'host', 'via'] },
  { re: new RegExp(`^DHCPOFFER on ${IP} to ${MAC}${HOST} via (\\S+)(.*)$`), type: 'OFFER', fields: ['ip', 'mac', 'host', 'via'] },
  {
    re: new RegExp(`^DHCPREQUEST for ${IP}(?: \\(${IP}\\))? from ${MAC}${HOST} via (\\S+)(.*)$`),
    type: 'REQUEST',
    fields: ['ip', 'server', 'mac', 'host', 'via'],
  },
  { re: new RegExp(`^DHCPACK on ${IP} to ${MAC}${HOST} via (\\S+)(.*)$`), type: 'ACK', fields: ['ip', 'mac', 'host', 'via'] },
  // The answer to a DHCPINFORM: no lease is granted.
  { re: new RegExp(`^DHCPACK to ${IP} \\(${MAC}\\) via (\\S+)(.*)$`), type: 'ACK', fields: ['ip', 'mac', 'via'] },
  { re: new RegExp(`^DHCPNAK on ${IP} to ${MAC}${HOST} via (\\S+)(.*)$`), type: 'NAK', fields: ['ip', 'mac', 'host', 'via'] },
  { re: new RegExp(`^DHCPRELEASE of ${IP} from ${MAC}${HOST} via (\\S+)(.*)$`), type: 'RELEASE', fields: ['ip', 'mac', 'host', 'via'] },
  { re: new RegExp(`^DHCPDECLINE of ${IP} from ${MAC}${HOST} via (\\S+)(.*)$`), type: 'DECLINE', fields: ['ip', 'mac', 'host', 'via'] },
  { re: new RegExp(`^DHCPINFORM from ${IP} via (\\S+)(.*)$`), type: 'INFORM', fields: ['ip', 'via'] },
  { re: new RegExp(`^DHCPEXPIRE on ${IP} to ${MAC}(.*)$`), type: 'EXPIRE', fields: ['ip', 'mac'] },
  { re: new RegExp(`^DHCPLEASEQUERY from ${IP}(.*)$`), type: 'LEASEQUERY', fields: ['ip'] },
  { re: new RegExp(`^BOOTREQUEST from ${MAC} via (\\S+)(.*)$`), type: 'BOOTREQUEST', fields: ['mac', 'via'] },
  { re: new RegExp(`^BOOTREPLY for ${IP} to (\\S+) \\(${MAC}\\) via (\\S+)(.*)$`), type: 'BOOTREPLY', fields: ['ip', 'host', 'mac', 'via'] },
];

interface Tail {
  reason?: string;
  transactionId?: string;
  uid?: string;
  relay?: string;
  leaseDuration?: number;
  offeredDuration?: number;
  renew?: boolean;
  found?: boolean;
}

/** The text after "via X": Infoblox extras, "(found)", and an error after ": ". */
function readTail(tail: string): Tail {
  const t: Tail = {};
  let rest = tail;
  const colon = rest.indexOf(': ');
  if (colon >= 0) {
    t.reason = rest.slice(colon + 2).replace(/\\n$/, '').trim().replace(/\.$/, '');
    rest = rest.slice(0, colon);
  } else if (rest.endsWith(':')) rest = rest.slice(0, -1);
  const words = rest.trim().split(/\s+/);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    if (w === 'TransID' && next) (t.transactionId = next), i++;
    else if (w === 'uid' && next) (t.uid = next), i++;
    else if (w === 'relay' && next) (t.relay = next), i++;
    else if (w === 'lease-duration' && next && /^\d+$/.test(next)) (t.leaseDuration = Number(next)), i++;
    else if (w === 'offered-duration' && next && /^\d+$/.test(next)) (t.offeredDuration = Number(next)), i++;
    else if (w === '(RENEW)') t.renew = true;
    else if (w === '(found)') t.found = true;
    else if (w === '(not' && next === 'found)') (t.found = false), i++;
  }
  return t;
}

export function parseV4(message: string): EcsDoc | null {
  for (const shape of V4) {
    const m = shape.re.exec(message);
    if (!m) continue;
    const got: Partial<Record<'ip' | 'mac' | 'host' | 'via' | 'server', string>> = {};
    shape.fields.forEach((f, i) => {
      const v = m[i + 1];
      if (v !== undefined && v !== '') got[f] = v;
    });
    let tailText = m[shape.fields.length + 1] ?? '';
    // "via eth0: wrong network.": the colon belongs to the reason, not to the interface.
    if (got.via?.endsWith(':')) {
      got.via = got.via.slice(0, -1);
      tailText = ':' + tailText;
    }
    const tail = readTail(tailText);
    return v4Doc(shape.type, got, tail, message);
  }
  return null;
}

function v4Doc(type: string, got: Partial<Record<'ip' | 'mac' | 'host' | 'via' | 'server', string>>, tail: Tail, message: string): EcsDoc {
  let scopeId: string | undefined;
  let reason = tail.reason;
  // "network 10.0.0.0/24: no free leases": the scope the server tried.
  const net = reason ? /^network (\S+): (.*)$/.exec(reason) : null;
  if (net) {
    scopeId = net[1];
    reason = net[2];
  }
  const leaseGranted = (type === 'ACK' && message.startsWith('DHCPACK on')) || type === 'BOOTREPLY';
  let verdict: DhcpFacts['verdict'] = 'other';
  if (leaseGranted) verdict = 'granted';
  else if (type === 'NAK') verdict = 'refused';
  // A DISCOVER or REQUEST the server could not serve ("no free leases", "wrong network", "unknown lease"),
  // unless its failover peer answers instead ("load balance to peer", "lease owned by peer").
  else if ((type === 'DISCOVER' || type === 'REQUEST') && reason && !/\bpeer\b/.test(reason)) verdict = 'refused';
  else if (type === 'RELEASE' || type === 'EXPIRE') verdict = 'released';

  const facts: DhcpFacts = {
    action: type.startsWith('BOOT') ? type.toLowerCase() : `dhcp${type.toLowerCase()}`,
    messageType: type.startsWith('BOOT') ? undefined : type,
    mac: got.mac,
    ip: got.ip,
    hostname: got.host,
    duration: type === 'OFFER' || leaseGranted ? tail.leaseDuration : undefined,
    scopeId,
    relay: got.via,
    verdict,
    reason,
  };
  const doc = dhcpEvent(facts);
  // The relay Infoblox names separately ("via eth2 relay 192.168.0.3") is the agent address.
  if (tail.relay && tail.relay !== got.via && isIp(tail.relay)) mergeInto(doc, { dhcp: { relay: { ip: tail.relay } } });
  if (got.server && isIp(got.server)) doc.server = { ip: got.server };
  // An INFORM comes from a configured address; the ACK to it goes back there.
  if (type === 'INFORM' || (type === 'ACK' && !leaseGranted)) mergeInto(doc, { source: { ip: got.ip! } });
  if (type === 'INFORM' && reason) doc.event = { ...(doc.event as EcsDoc), outcome: 'failure' };
  const vendor: EcsDoc = {};
  if (tail.transactionId) vendor.transaction_id = tail.transactionId;
  if (tail.uid) vendor.uid = tail.uid;
  if (tail.offeredDuration !== undefined) vendor.offered_duration = tail.offeredDuration;
  if (tail.leaseDuration !== undefined && facts.duration === undefined) vendor.lease_duration = tail.leaseDuration;
  if (tail.renew) vendor.renew = true;
  if (tail.found !== undefined) vendor.lease_found = tail.found;
  if (tail.relay && tail.relay !== got.via && !isIp(tail.relay)) vendor.relay = tail.relay;
  if (Object.keys(vendor).length) doc.isc_dhcpd = vendor;
  return doc;
}
