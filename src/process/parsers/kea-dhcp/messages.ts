// Kea DHCP message IDs (src/bin/dhcp4/dhcp4_messages.mes, dhcp6_messages.mes, alloc_engine_messages.mes)
// and what each says about a lease. The text after the client label ("[hwtype=1 aa:..], cid=[..],
// tid=0x..: ") is matched; named groups: ip, secs, prefix, len, iaid, subnet, subnetId, type, iface.
import type { DhcpVerdict } from '../isc-dhcpd/dhcp.js';

export interface KeaMessage {
  re?: RegExp;
  verdict: DhcpVerdict;
  /** DHCP message type this line stands for. */
  type?: string;
}

const LEASE4 = /^lease (?<ip>\S+) has been (?:allocated|reused)(?: for (?<secs>\d+) seconds)?/;
const LEASE6 = /^lease for (?:address (?<ip>\S+)|prefix (?<prefix>[^/\s]+)\/(?<len>\d+)) and iaid=(?<iaid>\d+) has been (?:allocated|renewed|reused)(?: for (?<secs>\d+) seconds)?/;
const ADVERT6 = /^lease for (?:address (?<ip>\S+)|prefix (?<prefix>[^/\s]+)\/(?<len>\d+)) and iaid=(?<iaid>\d+) will be advertised/;
const RELEASE6 = /^binding for (?:address (?<ip>\S+)|prefix (?<prefix>[^/\s]+)\/(?<len>\d+)) and iaid=(?<iaid>\d+) was released properly/;

export const MESSAGES: Record<string, KeaMessage> = {
  DHCP4_LEASE_ALLOC: { re: LEASE4, verdict: 'granted', type: 'ACK' },
  DHCP4_LEASE_REUSE: { re: LEASE4, verdict: 'granted', type: 'ACK' },
  DHCP4_LEASE_ADVERT: { re: /^lease (?<ip>\S+) will be advertised/, verdict: 'other', type: 'OFFER' },
  DHCP4_LEASE_OFFER: { re: /^lease (?<ip>\S+) will be offered/, verdict: 'other', type: 'OFFER' },
  DHCP4_PACKET_NAK_0001: { re: /^failed to select a subnet for incoming packet, src (?<src>\S+), type (?<type>\S+)/, verdict: 'refused', type: 'NAK' },
  DHCP4_PACKET_NAK_0002: { re: /^invalid address (?<ip>\S+) requested by INIT-REBOOT/, verdict: 'refused', type: 'NAK' },
  DHCP4_PACKET_NAK_0003: { re: /^failed to advertise a lease, client sent ciaddr (?<ciaddr>\S+), requested-ip-address (?<ip>\S+)/, verdict: 'refused' },
  DHCP4_PACKET_NAK_0004: { re: /^failed to grant a lease, client sent ciaddr (?<ciaddr>\S+), requested-ip-address (?<ip>\S+)/, verdict: 'refused', type: 'NAK' },
  DHCP4_NO_LEASE_INIT_REBOOT: { re: /^no lease for address (?<ip>\S+) requested by INIT-REBOOT client/, verdict: 'refused' },
  DHCP4_SUBNET_SELECTION_FAILED: { verdict: 'refused' },
  DHCP4_RELEASE: { re: /^address (?<ip>\S+) was released properly/, verdict: 'released', type: 'RELEASE' },
  DHCP4_RELEASE_EXPIRED: { re: /^address (?<ip>\S+) expired on release/, verdict: 'released', type: 'RELEASE' },
  DHCP4_RELEASE_DELETED: { re: /^address (?<ip>\S+) was deleted on release/, verdict: 'released', type: 'RELEASE' },
  DHCP4_DECLINE_LEASE: { re: /^Received DHCPDECLINE for addr (?<ip>\S+) from client (?<client>.+?)\. The lease will be unavailable for (?<secs>\d+) seconds/, verdict: 'other', type: 'DECLINE' },
  DHCP4_INIT_REBOOT: { re: /^client is in INIT-REBOOT state and requests address (?<ip>\S+)/, verdict: 'other', type: 'REQUEST' },
  ALLOC_ENGINE_V4_ALLOC_FAIL: { re: /^failed to allocate an IPv4 address after (?<attempts>\d+) attempt/, verdict: 'refused' },
  ALLOC_ENGINE_V4_ALLOC_FAIL_SUBNET: { re: /^failed to allocate an IPv4 lease in the subnet (?<subnet>\S+), subnet-id (?<subnetId>\d+)/, verdict: 'refused' },
  ALLOC_ENGINE_V4_ALLOC_FAIL_SHARED_NETWORK: { re: /^failed to allocate an IPv4 lease in the shared network (?<network>\S+)/, verdict: 'refused' },
  ALLOC_ENGINE_V4_ALLOC_FAIL_NO_POOLS: { verdict: 'refused' },
  ALLOC_ENGINE_V4_ALLOC_FAIL_CLASSES: { verdict: 'refused' },
  DHCP6_LEASE_ALLOC: { re: LEASE6, verdict: 'granted', type: 'REPLY' },
  DHCP6_PD_LEASE_ALLOC: { re: LEASE6, verdict: 'granted', type: 'REPLY' },
  DHCP6_LEASE_RENEW: { re: LEASE6, verdict: 'granted', type: 'REPLY' },
  DHCP6_PD_LEASE_RENEW: { re: LEASE6, verdict: 'granted', type: 'REPLY' },
  DHCP6_LEASE_ADVERT: { re: ADVERT6, verdict: 'other', type: 'ADVERTISE' },
  DHCP6_PD_LEASE_ADVERT: { re: ADVERT6, verdict: 'other', type: 'ADVERTISE' },
  DHCP6_RELEASE_NA: { re: RELEASE6, verdict: 'released', type: 'RELEASE' },
  DHCP6_RELEASE_PD: { re: RELEASE6, verdict: 'released', type: 'RELEASE' },
  ALLOC_ENGINE_V6_ALLOC_FAIL: { verdict: 'refused' },
  ALLOC_ENGINE_V6_ALLOC_FAIL_SUBNET: { re: /^failed to allocate an IPv6 lease in the subnet (?<subnet>\S+), subnet-id (?<subnetId>\d+)/, verdict: 'refused' },
};

/** "DHCPDISCOVER (type 1) received from 0.0.0.0 to 255.255.255.255 on interface eth0" and the 2.4+ short form. */
export const PACKET_RECEIVED = /^(?<type>[A-Z0-9_-]+) \((?:type \d+|\w+)\) received (?:from (?<src>\S+) to (?<dst>\S+) )?on interface (?<iface>\S+)/;
export const PACKET_SEND = /^(?:trying to send packet )?(?<type>[A-Z0-9_-]+) \((?:type \d+|\w+)\) (?:from (?<src>\S+) )?to (?<dst>\S+) on interface (?<iface>\S+)/;
