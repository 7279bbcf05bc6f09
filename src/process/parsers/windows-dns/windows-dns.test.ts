// The DNS debug log's awkward parts: the (n)label name form, locale-dependent dates, and lines that
// are not packets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeWireName, looksLikeDnsDebug, parseDnsDebugLine } from './debug-log.js';
import { qtypeName, rcodeName } from './dns-codes.js';

test('(n)label names decode, and a wrong length is refused rather than guessed', () => {
  assert.equal(decodeWireName('(7)example(3)com(0)'), 'example.com');
  assert.equal(decodeWireName('(0)'), '.');
  assert.equal(decodeWireName('(3)www(7)example(3)com'), 'www.example.com', 'a missing final (0)');
  assert.equal(decodeWireName('(5)a(b)c(0)'), 'a(b)c', 'labels may hold parentheses');
  assert.equal(decodeWireName('(8)intra'), undefined);
  assert.equal(decodeWireName('example.com'), undefined);
  assert.equal(decodeWireName('(99)x(0)'), undefined);
});

test('dates: AM/PM is M/D/Y, 24-hour is D/M/Y unless the day cannot be a month, Y-M-D as written', () => {
  const at = (l: string) => parseDnsDebugLine(`${l} 0E60 EVENT text`)?.time.toISOString();
  assert.equal(at('11/23/2026 8:00:01 AM'), '2026-11-23T08:00:01.000Z');
  assert.equal(at('3/4/2026 12:00:00 AM'), '2026-03-04T00:00:00.000Z');
  assert.equal(at('3/4/2026 12:00:00 PM'), '2026-03-04T12:00:00.000Z');
  assert.equal(at('04/03/2026 13:00:00'), '2026-03-04T13:00:00.000Z');
  assert.equal(at('11/23/2026 13:00:00'), '2026-11-23T13:00:00.000Z');
  assert.equal(at('2026-11-23 13:00:00'), '2026-11-23T13:00:00.000Z');
  assert.equal(at('2/30/2026 8:00:01 AM'), undefined, 'no 30th of February');
  assert.equal(at('11/23/2026 13:00:01 PM'), undefined);
});

test('only packet and event lines are claimed', () => {
  assert.ok(!looksLikeDnsDebug('DNS Server log file creation at 11/23/2026 8:00:00 AM'));
  assert.ok(!looksLikeDnsDebug('10,11/23/26,08:00:01,Assign,10.0.0.5,h,AABBCCDDEEFF,'));
  assert.ok(!looksLikeDnsDebug('  Socket = 508'));
  assert.equal(parseDnsDebugLine('11/23/2026 8:00:01 AM zzzz PACKET x'), null);
  assert.equal(parseDnsDebugLine('11/23/2026 8:00:01 AM 0E60 PACKET  000001D2C1B3E0F0 ICMP Rcv 10.0.0.5 4a3b Q [0001 D NOERROR] A (1)a(0)'), null);
  const p = parseDnsDebugLine('11/23/2026 8:00:01 AM 0E60 PACKET  000001D2C1B3E0F0 UDP Snd 10.0.0.5      4a3b R Q [8183 A DR NXDOMAIN] AAAA   (1)a(0)')!.packet!;
  assert.deepEqual([p.response, p.opcode, p.flagsHex, p.flagChars, p.rcode, p.qtype, p.qname], [true, 'Q', '8183', 'ADR', 'NXDOMAIN', 'AAAA', 'a']);
});

test('type and response-code names', () => {
  assert.deepEqual(['1', '28', '65', 'AAAA', '64999'].map(qtypeName), ['A', 'AAAA', 'HTTPS', 'AAAA', 'TYPE64999']);
  assert.deepEqual(['0', '3', 'nxdomain', '42'].map(rcodeName), ['NOERROR', 'NXDOMAIN', 'NXDOMAIN', '42']);
});
