import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ipv4ToInt, ipv6ToBigInt } from './ip.js';

test('addresses as numbers', () => {
  assert.equal(ipv4ToInt('10.1.2.3'), 167838211);
  assert.equal(ipv4ToInt('255.255.255.255'), 4294967295);
  for (const bad of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '1.2.3.x', '']) assert.equal(ipv4ToInt(bad), null, bad);
  assert.equal(ipv6ToBigInt('::1'), 1n);
  assert.equal(ipv6ToBigInt('2001:db8::'), 0x20010db8n << 96n);
  // A trailing dotted quad is the last 32 bits.
  assert.equal(ipv6ToBigInt('::ffff:10.1.2.3'), 0xffff0a010203n);
  assert.equal(ipv6ToBigInt('1:2:3:4:5:6:7:8'), 0x00010002000300040005000600070008n);
  for (const bad of ['1:2', ':1', '1::2::3', '12345::', '1.2.3.4', 'g::1', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', '::ffff:10.1.2']) {
    assert.equal(ipv6ToBigInt(bad), null, bad);
  }
});
