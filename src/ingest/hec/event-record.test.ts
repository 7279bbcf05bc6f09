import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventRecord, hecTimeMs } from './event-record.js';
import { capRecord } from '../records.js';
import { cutUtf8 } from '../../core/utf8.js';
import { HecError } from './replies.js';

const MAX = 1024;
const json = (r: { data: Buffer }) => JSON.parse(r.data.toString('utf8'));

test('a string event is an envelope: the string exactly as its message, the metadata beside it', () => {
  const line = '<38>Mar  1 12:00:00 web1 sshd[42]: Accepted password for alice from 10.0.0.1 port 22 ssh2';
  const r = eventRecord({ event: line, time: 1_700_000_000, host: 'h', sourcetype: 'linux_secure', fields: { a: 'b' } }, 0, {}, MAX);
  assert.equal(r.codec, 'json');
  assert.equal(r.envelope, true);
  assert.equal(r.truncated, false);
  assert.deepEqual(JSON.parse(r.data.toString('utf8')), {
    message: line,
    '@timestamp': '2023-11-14T22:13:20.000Z',
    host: { name: 'h' },
    splunk: { sourcetype: 'linux_secure', fields: { a: 'b' } },
  });
});

test('an object event is a JSON record: its fields at the top, the envelope mapped to ECS and splunk.*', () => {
  const r = eventRecord(
    {
      event: { message: 'login', user: { name: 'bob' } },
      time: '1433188255.500',
      host: 'web-1',
      source: '/var/log/app.log',
      sourcetype: 'app',
      index: 'main',
      fields: { env: 'prod', dc: ['a', 'b'], n: 3 },
    },
    0,
    {},
    MAX,
  );
  assert.equal(r.codec, 'json');
  assert.deepEqual(json(r), {
    message: 'login',
    user: { name: 'bob' },
    '@timestamp': '2015-06-01T19:50:55.500Z',
    host: { name: 'web-1' },
    log: { file: { path: '/var/log/app.log' } },
    splunk: { sourcetype: 'app', index: 'main', fields: { env: 'prod', dc: ['a', 'b'], n: 3 } },
  });
});

test("an object's own @timestamp, host and log.file.path win; the envelope's go to splunk.*", () => {
  const r = eventRecord(
    { event: { '@timestamp': '2020-01-01T00:00:00Z', host: 'own-host', log: { file: { path: '/own' } } }, time: 1, host: 'env-host', source: '/env' },
    0,
    {},
    MAX,
  );
  assert.deepEqual(json(r), {
    '@timestamp': '2020-01-01T00:00:00Z',
    host: 'own-host',
    log: { file: { path: '/own' } },
    splunk: { host: 'env-host', source: '/env' },
  });
  const merged = eventRecord({ event: { host: { ip: '10.0.0.1' }, log: { level: 'info' } }, host: 'h', source: '/s' }, 0, {}, MAX);
  assert.deepEqual(json(merged), { host: { ip: '10.0.0.1', name: 'h' }, log: { level: 'info', file: { path: '/s' } } });
});

test('query-string defaults apply where the envelope is silent', () => {
  const r = eventRecord({ event: { a: 1 }, sourcetype: 'own' }, 0, { host: 'qh', sourcetype: 'qs', index: 'qi' }, MAX);
  assert.deepEqual(json(r), { a: 1, host: { name: 'qh' }, splunk: { sourcetype: 'own', index: 'qi' } });
});

test('numbers, booleans and arrays as event are text records of their JSON', () => {
  assert.equal(eventRecord({ event: 42 }, 0, {}, MAX).data.toString(), '42');
  assert.equal(eventRecord({ event: false }, 0, {}, MAX).data.toString(), 'false');
  assert.equal(eventRecord({ event: [1, 'a'] }, 0, {}, MAX).data.toString(), '[1,"a"]');
  assert.equal(eventRecord({ event: 'x' }, 0, {}, MAX).envelope, true);
});

// [name, envelope, Splunk text, Splunk code]
const refused: [string, Record<string, unknown>, string, number][] = [
  ['no event field', { time: 1, host: 'h' }, 'Event field is required', 12],
  ['an empty string event', { event: '' }, 'Event field cannot be blank', 13],
  ['a whitespace-only event', { event: ' \n\t' }, 'Event field cannot be blank', 13],
  ['a null event', { event: null }, 'Event field cannot be blank', 13],
  ['time that is not a number', { event: 'x', time: 'yesterday' }, 'Invalid data format', 6],
  ['time as an object', { event: 'x', time: { s: 1 } }, 'Invalid data format', 6],
  ['time out of range', { event: 'x', time: 1e300 }, 'Invalid data format', 6],
  ['host that is an object', { event: 'x', host: { name: 'h' } }, 'Invalid data format', 6],
  ['sourcetype that is a list', { event: 'x', sourcetype: ['a'] }, 'Invalid data format', 6],
  ['fields that are not an object', { event: 'x', fields: 'a=b' }, 'Error in handling indexed fields', 15],
  ['nested indexed fields', { event: 'x', fields: { a: { b: 1 } } }, 'Error in handling indexed fields', 15],
];

for (const [name, ev, text, code] of refused) {
  test(`refuses ${name}: code ${code}, numbered`, () => {
    assert.throws(
      () => eventRecord(ev, 7, {}, MAX),
      (err: unknown) => err instanceof HecError && err.status === 400 && JSON.stringify(err.body()) === JSON.stringify({ text, code, 'invalid-event-number': 7 }),
    );
  });
}

test('HEC time: seconds (fractional, string) to milliseconds; milliseconds tolerated; junk refused', () => {
  assert.equal(hecTimeMs(1433188255), 1433188255000);
  assert.equal(hecTimeMs(1433188255.5), 1433188255500);
  assert.equal(hecTimeMs('1433188255.123'), 1433188255123);
  assert.equal(hecTimeMs(' 1433188255 '), 1433188255000);
  assert.equal(hecTimeMs(1433188255123), 1433188255123);
  assert.equal(hecTimeMs(0), 0);
  for (const bad of ['', 'abc', '1e9', '12:00', NaN, Infinity, true, [], {}]) assert.equal(hecTimeMs(bad), null, String(bad));
});

test('a record over the limit is cut on a UTF-8 boundary and flagged; a cut JSON record becomes text', () => {
  const s = 'é'.repeat(10); // 20 bytes
  assert.equal(cutUtf8(Buffer.from(s), 5).toString(), 'éé');
  assert.equal(cutUtf8(Buffer.from(s), 6).toString(), 'ééé');
  const text = capRecord('text', Buffer.from('abcdef'), 4);
  assert.deepEqual([text.codec, text.data.toString(), text.truncated], ['text', 'abcd', true]);
  const big = eventRecord({ event: { message: 'x'.repeat(100) } }, 0, {}, 50);
  assert.equal(big.codec, 'text');
  assert.equal(big.truncated, true);
  assert.equal(big.data.length, 50);
  assert.ok(big.data.toString().startsWith('{"message":"xxx'));
  const fits = eventRecord({ event: 'short' }, 0, {}, 50);
  assert.equal(fits.truncated, false);
});
