import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arpaFromIp, dnsDoc, dnsName, headerFlags, ipFromArpa, splitOutsideQuotes } from './dns-ecs.js';

test('reverse-lookup names and addresses convert both ways', () => {
  assert.equal(ipFromArpa('4.3.2.1.in-addr.arpa.'), '1.2.3.4');
  assert.equal(arpaFromIp('1.2.3.4'), '4.3.2.1.in-addr.arpa');
  const v6 = arpaFromIp('2001:db8::1')!;
  assert.equal(v6, '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
  assert.equal(ipFromArpa(v6), '2001:db8::1');
  assert.equal(ipFromArpa('example.com'), undefined);
  assert.equal(ipFromArpa('1.2.3.in-addr.arpa'), undefined);
  assert.equal(arpaFromIp('not-an-ip'), undefined);
});

test('names lose the root dot; flags are the ECS set in a fixed order', () => {
  assert.equal(dnsName('example.com.'), 'example.com');
  assert.equal(dnsName('.'), '.');
  assert.deepEqual(headerFlags(['ra', 'qr', 'RD', 'do', 'AA']), ['AA', 'RD', 'RA', 'DO']);
});

test('TXT data keeps a quoted separator', () => {
  assert.deepEqual(splitOutsideQuotes('a "x;y" b; c', ';'), ['a "x;y" b', ' c']);
});

test('only address records count as resolved addresses', () => {
  const d = dnsDoc({ type: 'answer', name: '9.2.0.192.in-addr.arpa', answers: [{ type: 'PTR', data: '203.0.113.9' }] }) as any;
  assert.equal(d.dns.resolved_ip, undefined);
  assert.deepEqual(d.related.ip, ['192.0.2.9']);
});
