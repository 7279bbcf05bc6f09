import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AckChannels, parseAckRequest, readChannel } from './ack-channels.js';
import { HecError } from './replies.js';

const CH = '0f8e4c3a-1b2d-4e5f-8a9b-0c1d2e3f4a5b';
const CH2 = 'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE';

test('a channel comes from the header, else the query; it must be a GUID (code 11)', () => {
  assert.equal(readChannel(undefined, undefined), null);
  assert.equal(readChannel('', undefined), null);
  assert.equal(readChannel(CH, undefined), CH);
  assert.equal(readChannel(undefined, CH), CH);
  assert.equal(readChannel(CH2, CH), CH2.toLowerCase(), 'header first, case folded');
  assert.equal(readChannel([CH, CH2], undefined), CH);
  for (const bad of ['abc', `${CH}x`, CH.replace(/-/g, ''), `{${CH}}`, 'gggggggg-bbbb-cccc-dddd-eeeeeeeeeeee']) {
    assert.throws(() => readChannel(bad, undefined), (e: unknown) => e instanceof HecError && e.body().code === 11, bad);
  }
});

test('ack ids count up per channel from 0; issued ids are true, others false', () => {
  const acks = new AckChannels();
  assert.equal(acks.issue('acme', CH), 0);
  assert.equal(acks.issue('acme', CH), 1);
  assert.equal(acks.issue('acme', 'other'), 0);
  assert.deepEqual(acks.status('acme', CH, [0, 1, 2, 99]), { '0': true, '1': true, '2': false, '99': false });
  assert.deepEqual(acks.status('acme', 'unknown', [0]), { '0': false });
  assert.equal(acks.size, 2, 'asking about an unknown channel does not create it');
});

test("one tenant cannot see another tenant's channel", () => {
  const acks = new AckChannels();
  acks.issue('acme', CH);
  assert.deepEqual(acks.status('globex', CH, [0]), { '0': false });
  assert.equal(acks.issue('globex', CH), 0);
});

test('channels are bounded; the least recently used is forgotten first', () => {
  const acks = new AckChannels(3);
  acks.issue('t', 'a');
  acks.issue('t', 'b');
  acks.issue('t', 'c');
  acks.status('t', 'a', [0]); // touches a: b is now the oldest
  acks.issue('t', 'd');
  assert.equal(acks.size, 3);
  assert.deepEqual(acks.status('t', 'b', [0]), { '0': false });
  assert.deepEqual(acks.status('t', 'a', [0]), { '0': true });
  assert.deepEqual(acks.status('t', 'd', [0]), { '0': true });
});

test('an ack request is {"acks":[non-negative integers]}; anything else is code 6', () => {
  assert.deepEqual(parseAckRequest('{"acks":[0,1,2]}'), [0, 1, 2]);
  assert.deepEqual(parseAckRequest('{"acks":[]}'), []);
  for (const bad of ['', 'nope', '[]', 'null', '{}', '{"acks":"0"}', '{"acks":[-1]}', '{"acks":[1.5]}', '{"acks":["1"]}']) {
    assert.throws(() => parseAckRequest(bad), (e: unknown) => e instanceof HecError && e.body().code === 6, bad);
  }
});
