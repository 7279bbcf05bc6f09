// The DHCP audit log's header must not become events, and both the IPv4 and IPv6 column sets read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikeDhcpAudit, parseDhcpLine } from './audit-log.js';

test('header and legend lines are not data lines', () => {
  for (const line of [
    '\t\tMicrosoft DHCP Service Activity Log',
    'Event ID  Meaning',
    '00\tThe log was started.',
    '50+\tCodes above 50 are used for Rogue Server Detection information.',
    'ID,Date,Time,Description,IP Address,Host Name,MAC Address,User Name, TransactionID, QResult,Probationtime, CorrelationID,Dhcid,VendorClass(Hex),VendorClass(ASCII),UserClass(Hex),UserClass(ASCII),RelayAgentInformation,DnsRegError.',
    'ID,Date,Time,Description,IPv6 Address,Host Name,Error Code, Duid Length, Duid Bytes(Hex),User Name,Dhcid,Subnet Prefix.',
    '11/23/2026 8:00:01 AM 0E60 PACKET  000001D2C1B3E0F0 UDP Rcv 10.0.0.5 4a3b Q [0001 D NOERROR] A (1)a(0)',
  ]) assert.ok(!looksLikeDhcpAudit(line), line);
  assert.ok(looksLikeDhcpAudit('10,11/23/26,08:00:01,Assign,10.0.0.50,laptop1.corp.local,A4BB6D112233,,123456,0,,,,,,,,,0'));
});

test('IPv4 and IPv6 columns', () => {
  const v4 = parseDhcpLine('10,11/23/26,08:00:01,Assign,10.0.0.50,laptop1.corp.local,A4BB6D112233,,123456,0,,,,0x4D53465420352E30,MSFT 5.0,,,,0')!;
  assert.deepEqual([v4.id, v4.at.toISOString(), v4.ip, v4.hostName, v4.mac, v4.transactionId, v4.vendorClassAscii, v4.dnsRegError],
    ['10', '2026-11-23T08:00:01.000Z', '10.0.0.50', 'laptop1.corp.local', 'A4BB6D112233', '123456', 'MSFT 5.0', '0']);
  const v6 = parseDhcpLine('11000,11/23/26,08:00:01,Solicit,fd00::a,ws.corp.local,,14,000100012A3B4C5D3C52820A1B2C,,,fd00::')!;
  assert.deepEqual([v6.v6, v6.ip, v6.duidHex, v6.subnetPrefix], [true, 'fd00::a', '000100012A3B4C5D3C52820A1B2C', 'fd00::']);
  assert.equal(parseDhcpLine('10,02/30/26,08:00:01,Assign,10.0.0.50,,,'), null, 'no 30th of February');
});
