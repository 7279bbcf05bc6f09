import { test } from 'node:test';
import assert from 'node:assert/strict';
import { objectEnd, parseEventStream } from './event-stream.js';
import { HecError } from './replies.js';

const accepted: [string, string, unknown[]][] = [
  ['one object', '{"event":"a"}', [{ event: 'a' }]],
  ['back to back, no separator', '{"event":"a"}{"event":"b"}', [{ event: 'a' }, { event: 'b' }]],
  ['newlines, spaces, tabs and CRLF between and around', ' \r\n{"event":"a"}\n\n\t {"event":"b"} \r\n', [{ event: 'a' }, { event: 'b' }]],
  ['braces and brackets inside strings', '{"event":"}{ ] [ {"}{"event":"x"}', [{ event: '}{ ] [ {' }, { event: 'x' }]],
  ['escaped quotes and backslashes', String.raw`{"event":"say \"}\" \\"}{"event":"\\\\"}`, [{ event: 'say "}" \\' }, { event: '\\\\' }]],
  ['nested objects and arrays', '{"event":{"a":{"b":[1,{"c":[]}]}},"fields":{"k":["v"]}}', [{ event: { a: { b: [1, { c: [] }] } }, fields: { k: ['v'] } }]],
  ['unicode, escapes and a byte-order mark', '\ufeff{"event":"h\\u00e9 ☃"}', [{ event: 'hé ☃' }]],
  ['nothing at all', '', []],
  ['only whitespace', ' \n\t\r\n', []],
];

for (const [name, body, want] of accepted) {
  test(`event stream: ${name}`, () => {
    assert.deepEqual(parseEventStream(body), want);
  });
}

// [name, body, number of the event Splunk reports as invalid (0-based)]
const refused: [string, string, number][] = [
  ['truncated first object', '{"event":"a"', 0],
  ['truncated second object', '{"event":"a"}{"event":"b", "time": 12', 1],
  ['truncated inside a string', '{"event":"a"}{"event":"b}', 1],
  ['an array is not the event stream', '[{"event":"a"}]', 0],
  ['a bare string', '"event"', 0],
  ['a number after two good events', '{"event":1}{"event":2} 42', 2],
  ['garbage between objects', '{"event":"a"},{"event":"b"}', 1],
  ['mismatched brackets', '{"event":"a"]', 0],
  ['invalid JSON inside balanced braces', '{"event":"a"}{event:"b"}', 1],
  ['a trailing comma in an object', '{"event":"a",}', 0],
  ['a closing brace with nothing open', '}', 0],
];

for (const [name, body, number] of refused) {
  test(`event stream refuses ${name} with code 6 and invalid-event-number ${number}`, () => {
    assert.throws(
      () => parseEventStream(body),
      (err: unknown) => {
        assert.ok(err instanceof HecError);
        assert.equal(err.status, 400);
        assert.deepEqual(err.body(), { text: 'Invalid data format', code: 6, 'invalid-event-number': number });
        return true;
      },
    );
  });
}

test('objectEnd returns the index after the closing brace, or -1 when the text ends first', () => {
  assert.equal(objectEnd('{"a":{"b":"}"}}xyz', 0), 15);
  assert.equal(objectEnd('  {}', 2), 4);
  assert.equal(objectEnd('{"a":"\\', 0), -1);
  assert.equal(objectEnd('{"a":[1,2', 0), -1);
});

test('a large batch splits into every event, in order', () => {
  const events = Array.from({ length: 5000 }, (_, i) => ({ event: `line ${i} {with} "quotes"`, time: 1_700_000_000 + i }));
  const body = events.map((e) => JSON.stringify(e)).join('');
  assert.deepEqual(parseEventStream(body), events);
});

