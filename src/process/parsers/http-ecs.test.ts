import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clfTime, requestLine, urlDoc } from './http-ecs.js';
import { splitQuoted } from './quoted-fields.js';

test('access-log times: zone offsets, HAProxy milliseconds, nonsense', () => {
  assert.equal(clfTime('23/Nov/2026:09:00:01 +0100'), '2026-11-23T08:00:01.000Z');
  assert.equal(clfTime('09/Dec/2013:12:59:46.633'), '2013-12-09T12:59:46.633Z');
  assert.equal(clfTime('23/Foo/2026:09:00:01 +0000'), undefined);
});

test('request targets: origin, absolute, authority (CONNECT), IPv6 literal', () => {
  assert.deepEqual(urlDoc('/a/b.PHP?x=1#f').url, { original: '/a/b.PHP?x=1#f', fragment: 'f', query: 'x=1', path: '/a/b.PHP', extension: 'php' });
  const abs = urlDoc('https://user@www.example.com:8443/p?q').url;
  assert.equal(abs.domain, 'www.example.com');
  assert.equal(abs.port, 8443);
  assert.equal(abs.scheme, 'https');
  const c = urlDoc('login.example.com:443', 'CONNECT');
  assert.deepEqual(c.destination, { address: 'login.example.com', domain: 'login.example.com', port: 443 });
  assert.equal(urlDoc('http://[2001:db8::1]:80/').url.domain, '2001:db8::1');
  assert.deepEqual(requestLine('- - - '), {});
  assert.deepEqual(requestLine('GET /x HTTP/1.1'), { method: 'GET', target: '/x', version: '1.1' });
});

test('quoted fields: escapes, empty, an unterminated quote', () => {
  assert.deepEqual(
    splitQuoted('a "b \\"c\\"" "" "open').map((t) => t.value),
    ['a', 'b "c"', '', 'open'],
  );
});
