import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ipv4Range, isIpv6, parseCidr } from './ip.js';

test('CIDR recognition and IPv4 ranges', () => {
  assert.deepEqual(parseCidr('10.0.0.0/8'), { version: 4, network: '10.0.0.0', prefix: 8 });
  assert.deepEqual(parseCidr('2001:db8::/32'), { version: 6, network: '2001:db8::', prefix: 32 });
  for (const bad of ['10.0.0.0/33', '10.0.0/8', '256.0.0.0/8', 'a/8', '10.0.0.0/', '/8', '::1/129', '1:2:3:4:5:6:7:8:9/64']) {
    assert.equal(parseCidr(bad), null, bad);
  }
  assert.deepEqual(ipv4Range('10.1.2.3', 8), [167772160, 184549375]);
  assert.deepEqual(ipv4Range('192.168.7.9', 32), [3232237321, 3232237321]);
  assert.deepEqual(ipv4Range('1.2.3.4', 0), [0, 4294967295]);
  for (const ok of ['::', '::1', '2001:db8::1', '1:2:3:4:5:6:7:8', '::ffff:10.0.0.1', 'fe80::1:2']) assert.ok(isIpv6(ok), ok);
  for (const no of ['1:2', ':1', '1::2::3', '12345::', '1.2.3.4', 'g::1', '1:2:3:4:5:6:7:8:9']) assert.ok(!isIpv6(no), no);
});
