// The event IDs of the Windows DHCP Server audit logs (DhcpSrvLog-*.log and DhcpV6SrvLog-*.log), as the
// logs' own header and Microsoft's "Analyze DHCP Server Log Files" page define them, with the ECS
// categorisation and action names Elastic's Microsoft DHCP integration uses.

export interface DhcpEventKind {
  meaning: string;
  category: string[];
  type: string[];
  action?: string;
  outcome?: 'failure';
  /** DISCOVER/OFFER/…: the message the line reports, where it is one (docs/parsers.md dhcp.*). */
  messageType?: string;
  /** Requirement/principle IDs (docs/parsers.md table). */
  requirements?: string[];
  principles?: string[];
}

const net = (type: string): Pick<DhcpEventKind, 'category' | 'type'> => ({ category: ['network'], type: type.split(',') });
const proc = (type: string): Pick<DhcpEventKind, 'category' | 'type'> => ({ category: ['process'], type: [type] });
const rogue = (type: string): Pick<DhcpEventKind, 'category' | 'type'> => ({ category: ['authentication', 'network'], type: type.split(',') });
const GRANTED = { requirements: ['B7.1'], principles: ['P3e'] };
const REFUSED = { requirements: ['B7.2'], principles: ['P3e'] };
const LEASE = { principles: ['P3e'] };
const DNS_REG = { principles: ['P4c'] };

export const DHCP_EVENTS: Record<string, DhcpEventKind> = {
  '00': { meaning: 'The log was started.', ...proc('start'), action: 'log-start' },
  '01': { meaning: 'The log was stopped.', ...proc('end'), action: 'log-end' },
  '02': { meaning: 'The log was temporarily paused due to low disk space.', ...proc('change'), action: 'log-pause', outcome: 'failure' },
  '10': { meaning: 'A new IP address was leased to a client.', ...net('allowed,connection'), action: 'dhcp-new', messageType: 'ACK', ...GRANTED },
  '11': { meaning: 'A lease was renewed by a client.', ...net('allowed,connection'), action: 'dhcp-renew', messageType: 'ACK', ...GRANTED },
  '12': { meaning: 'A lease was released by a client.', ...net('allowed,connection'), action: 'dhcp-release', messageType: 'RELEASE', ...LEASE },
  '13': { meaning: 'An IP address was found to be in use on the network.', ...net('connection'), action: 'dhcp-address-in-use', ...LEASE },
  '14': { meaning: "A lease request could not be satisfied because the scope's address pool was exhausted.", ...net('connection,denied'), action: 'dhcp-pool-exhausted', outcome: 'failure', ...REFUSED },
  '15': { meaning: 'A lease was denied.', ...net('connection,denied'), action: 'dhcp-deny', outcome: 'failure', messageType: 'NAK', ...REFUSED },
  '16': { meaning: 'A lease was deleted.', ...net('connection'), action: 'dhcp-delete', ...LEASE },
  '17': { meaning: 'A lease was expired and DNS records for an expired leases have not been deleted.', ...net('connection'), action: 'dhcp-expire', ...LEASE },
  '18': { meaning: 'A lease was expired and DNS records were deleted.', ...net('connection'), action: 'dhcp-expire', ...LEASE },
  '20': { meaning: 'A BOOTP address was leased to a client.', ...net('allowed,connection'), action: 'bootp-new', ...GRANTED },
  '21': { meaning: 'A dynamic BOOTP address was leased to a client.', ...net('allowed,connection'), action: 'bootp-dynamic-new', ...GRANTED },
  '22': { meaning: "A BOOTP request could not be satisfied because the scope's address pool for BOOTP was exhausted.", ...net('connection,denied'), action: 'bootp-pool-exhausted', outcome: 'failure', ...REFUSED },
  '23': { meaning: 'A BOOTP IP address was deleted after checking to see it was not in use.', ...net('connection,deletion'), action: 'bootp-delete', ...LEASE },
  '24': { meaning: 'IP address cleanup operation has began.', ...proc('start'), action: 'ip-cleanup-start' },
  '25': { meaning: 'IP address cleanup statistics.', ...proc('info'), action: 'ip-cleanup-end' },
  '30': { meaning: 'DNS update request to the named DNS server.', ...net('connection'), action: 'dhcp-dns-update', ...DNS_REG },
  '31': { meaning: 'DNS update failed.', ...net('connection'), action: 'dhcp-dns-update', outcome: 'failure', ...DNS_REG },
  '32': { meaning: 'DNS update successful.', ...net('connection'), action: 'dhcp-dns-update', ...DNS_REG },
  '33': { meaning: 'Packet dropped due to NAP policy.', ...net('connection,denied'), action: 'dhcp-nap-drop', outcome: 'failure', ...REFUSED },
  '34': { meaning: 'DNS update request failed.as the DNS update request queue limit exceeded.', ...net('connection'), action: 'dhcp-dns-update', outcome: 'failure', ...DNS_REG },
  '35': { meaning: 'DNS update request failed.', ...net('connection,denied'), action: 'dhcp-dns-update', outcome: 'failure', ...DNS_REG },
  '36': { meaning: 'Packet dropped because the server is in failover standby role or the hash of the client ID does not match.', ...net('connection,denied'), action: 'dhcp-failover-drop', outcome: 'failure' },
  '50': { meaning: 'The DHCP server could not locate the applicable domain for its configured Active Directory installation.', ...rogue('connection'), action: 'rogue-server-detection', outcome: 'failure' },
  '51': { meaning: 'The DHCP server was authorized to start on the network.', ...rogue('allowed,connection'), action: 'rogue-server-detection' },
  '52': { meaning: 'The DHCP server was recently upgraded and unauthorized DHCP server detection was disabled.', ...rogue('connection'), action: 'rogue-server-detection' },
  '53': { meaning: 'The DHCP server was authorized to start using previously cached information.', ...rogue('allowed,connection'), action: 'rogue-server-detection' },
  '54': { meaning: 'The DHCP server was not authorized to start on the network.', ...rogue('connection,denied'), action: 'rogue-server-detection', outcome: 'failure' },
  '55': { meaning: 'The DHCP server was successfully authorized to start on the network.', ...rogue('allowed,connection'), action: 'rogue-server-detection' },
  '56': { meaning: 'The DHCP server was not authorized to start on the network and was shut down by the operating system.', ...rogue('connection,denied'), action: 'rogue-server-detection', outcome: 'failure' },
  '57': { meaning: 'Another DHCP server exists and is authorized for service in the same domain.', ...rogue('connection'), action: 'rogue-server-detection' },
  '58': { meaning: 'The DHCP server could not locate the specified domain.', ...rogue('connection'), action: 'rogue-server-detection', outcome: 'failure' },
  '59': { meaning: 'A network-related failure prevented the server from determining if it is authorized.', ...rogue('connection'), action: 'rogue-server-detection', outcome: 'failure' },
  '60': { meaning: 'No domain controller enabled for AD DS was located to detect whether the server is authorized.', ...rogue('connection'), action: 'rogue-server-detection' },
  '61': { meaning: 'Another DHCP server was found on the network that belongs to the Active Directory domain.', ...rogue('connection'), action: 'rogue-server-detection' },
  '62': { meaning: 'Another DHCP server was found on the network.', ...rogue('connection'), action: 'rogue-server-detection' },
  '63': { meaning: 'The DHCP server is trying once more to determine whether it is authorized to start and provide service on the network.', ...rogue('connection'), action: 'rogue-server-detection' },
  '64': { meaning: 'The DHCP server has its service bindings or network connections configured so that it is not enabled to provide service.', ...rogue('connection'), action: 'rogue-server-detection' },
};

/** DHCPv6 (DhcpV6SrvLog): the message each line reports, or the server's own event. */
export const DHCPV6_EVENTS: Record<string, DhcpEventKind> = {
  '11000': { meaning: 'Solicit.', ...net('connection,protocol'), action: 'dhcpv6-solicit', messageType: 'SOLICIT' },
  '11001': { meaning: 'Advertise.', ...net('connection,protocol'), action: 'dhcpv6-advertise', messageType: 'ADVERTISE' },
  '11002': { meaning: 'Request.', ...net('connection,protocol'), action: 'dhcpv6-request', messageType: 'REQUEST', ...GRANTED },
  '11003': { meaning: 'Confirm.', ...net('connection,protocol'), action: 'dhcpv6-confirm', messageType: 'CONFIRM' },
  '11004': { meaning: 'Renew.', ...net('connection,protocol'), action: 'dhcpv6-renew', messageType: 'RENEW', ...GRANTED },
  '11005': { meaning: 'Rebind.', ...net('connection,protocol'), action: 'dhcpv6-rebind', messageType: 'REBIND', ...GRANTED },
  '11006': { meaning: 'Decline.', ...net('connection,protocol'), action: 'dhcpv6-decline', outcome: 'failure', messageType: 'DECLINE', ...LEASE },
  '11007': { meaning: 'Release.', ...net('connection'), action: 'dhcpv6-release', messageType: 'RELEASE', ...LEASE },
  '11008': { meaning: 'Information Request.', ...net('connection'), action: 'dhcpv6-info-request', messageType: 'INFORMATION-REQUEST' },
  '11009': { meaning: 'Scope Full.', ...net('connection,denied'), action: 'dhcpv6-scope-full', outcome: 'failure', ...REFUSED },
  '11010': { meaning: 'Started.', ...proc('start'), action: 'log-start' },
  '11011': { meaning: 'Stopped.', ...proc('end'), action: 'log-stop' },
  '11012': { meaning: 'Audit log paused.', ...proc('change'), action: 'log-pause' },
  '11013': { meaning: 'DHCPV6 Log File.', ...proc('info'), action: 'log-file' },
  '11014': { meaning: 'Bad Address.', ...net('connection'), action: 'dhcpv6-bad-address', outcome: 'failure', ...LEASE },
  '11015': { meaning: 'Address is already in use.', ...net('connection'), action: 'dhcpv6-address-in-use', ...LEASE },
  '11016': { meaning: 'Client deleted.', ...net('connection'), action: 'dhcpv6-client-deleted', ...LEASE },
  '11017': { meaning: 'DNS record not deleted.', ...net('connection'), action: 'ipv6-dns-record-not-deleted' },
  '11018': { meaning: 'Expired.', ...net('connection'), action: 'dhcpv6-expired', ...LEASE },
  '11019': { meaning: 'Leases Expired and Leases Deleted.', ...net('connection'), action: 'dhcpv6-lease-expired-deleted', ...LEASE },
  '11020': { meaning: 'Database cleanup begin.', ...proc('start'), action: 'dhcpv6-cleanup-start' },
  '11021': { meaning: 'Database cleanup end.', ...proc('end'), action: 'dhcpv6-cleanup-end' },
  '11022': { meaning: 'DNS IPv6 Update Request.', ...net('connection,start'), action: 'ipv6-dns-update-request', ...DNS_REG },
  '11023': { meaning: 'DNS IPv6 Update Failed.', ...net('connection,end'), action: 'ipv6-dns-update-failed', outcome: 'failure', ...DNS_REG },
  '11024': { meaning: 'DNS IPv6 Update Successful.', ...net('connection,end'), action: 'ipv6-dns-update-successful', ...DNS_REG },
  '11028': { meaning: 'DNS IPv6 update request failed as the DNS update request queue limit exceeded.', ...net('connection,end'), action: 'ipv6-dns-update-request-queue-exceeded', outcome: 'failure', ...DNS_REG },
  '11029': { meaning: 'DNS IPv6 update request failed.', ...net('connection,end'), action: 'ipv6-dns-update-request-failed', outcome: 'failure', ...DNS_REG },
  '11030': { meaning: 'DHCPv6 stateless client records purged.', ...proc('change'), action: 'dhcpv6-stateless-clients-purged' },
  '11031': { meaning: 'DHCPv6 stateless client record is purged as the purge interval has expired for this client record.', ...proc('change'), action: 'dhcpv6-stateless-clients-expired' },
  '11032': { meaning: 'DHCPV6 Information Request from IPV6 Stateless Client.', ...net('info'), action: 'dhcpv6-stateless-client-info-request' },
};

/** QResult column (NAP quarantine state). */
export const QRESULTS: Record<string, string> = {
  '0': 'NoQuarantine',
  '1': 'Quarantine',
  '2': 'Drop Packet',
  '3': 'Probation',
  '6': 'No Quarantine Information',
};
