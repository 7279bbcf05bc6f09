// One table of label-set texts feeds parse, print and round-trip; malformed texts name where they fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { VigilError } from '../core/errors.js';
import { formatLabels, parseLabels, type LabelSet } from './loki-labels.js';

const plain = (l: LabelSet) => ({ ...l });

// [text, labels, canonical print (omitted: same as text)]
const CASES: [string, Record<string, string>, string?][] = [
  ['{job="varlogs"}', { job: 'varlogs' }],
  ['{host="bastion1", job="varlogs"}', { host: 'bastion1', job: 'varlogs' }],
  ['{job="varlogs",host="bastion1",filename="/var/log/auth.log"}', { job: 'varlogs', host: 'bastion1', filename: '/var/log/auth.log' }, '{filename="/var/log/auth.log", host="bastion1", job="varlogs"}'],
  ['  { a = "1" ,\tb="2" , }  ', { a: '1', b: '2' }, '{a="1", b="2"}'],
  ['{}', {}],
  ['{a=""}', {}, '{}'],
  ['{_x9="y"}', { _x9: 'y' }],
  ['{a="say \\"hi\\""}', { a: 'say "hi"' }],
  ['{a="C:\\\\Windows\\\\x"}', { a: 'C:\\Windows\\x' }],
  ['{a="l1\\nl2\\tt\\r"}', { a: 'l1\nl2\tt\r' }],
  ['{a="\\a\\b\\f\\v\\\'"}', { a: "\u0007\b\f\u000b'" }, '{a="\\u0007\\u0008\\u000c\\u000b\'"}'],
  ['{a="\\x41\\102\\u00e9\\U0001F600"}', { a: 'ABé😀' }, '{a="ABé😀"}'],
  ['{a="\\xc3\\xa9"}', { a: 'é' }, '{a="é"}'],
  ['{a="é 日本 😀"}', { a: 'é 日本 😀' }],
  ['{a=`raw \\n "q"`}', { a: 'raw \\n "q"' }, '{a="raw \\\\n \\"q\\""}'],
  ['{"service.name"="api"}', { 'service.name': 'api' }],
  ['{__proto__="x"}', { ['__proto__']: 'x' }],
];

for (const [text, labels, printed] of CASES) {
  test(`parses ${text}`, () => {
    const got = parseLabels(text);
    assert.deepEqual(Object.entries(got).sort(), Object.entries(labels).sort());
    assert.equal(formatLabels(got), printed ?? text);
    assert.deepEqual(plain(parseLabels(formatLabels(got))), plain(got), 'print then parse gives the same set');
  });
}

// [text, what the error says, 1-based character]
const BAD: [string, string, number][] = [
  ['', 'expected "{"', 1],
  ['job="x"', 'expected "{"', 1],
  ['{job="x"', 'expected "," or "}"', 9],
  ['{job=x}', 'expected a quoted value for label "job"', 6],
  ['{job"x"}', 'expected "=" after label "job"', 5],
  ['{job!="x"}', 'only name="value" pairs', 5],
  ['{job=~"x"}', 'only name="value" pairs', 5],
  ['{9job="x"}', 'expected a label name', 2],
  ['{job="x" host="y"}', 'expected "," or "}" after the value of "job"', 10],
  ['{job="x",,}', 'expected a label name', 10],
  ['{job="x", job="y"}', 'label "job" is given twice', 11],
  ['{job="x}', 'a quoted string is not closed', 6],
  ['{job="a\nb"}', 'raw newline', 8],
  ['{job="\\q"}', 'unknown escape \\q', 7],
  ['{job="\\x4"}', 'needs 2 hex digits', 7],
  ['{job="\\400"}', 'over \\377', 7],
  ['{job="\\ud800"}', 'not a Unicode code point', 7],
  ['{job="x"} trailing', 'unexpected "t" after "}"', 11],
  ['{""="x"}', 'a label name is empty', 2],
  ['{job=`x}', '`raw` string is not closed', 6],
];

for (const [text, says, at] of BAD) {
  test(`refuses ${JSON.stringify(text)}: ${says}`, () => {
    assert.throws(
      () => parseLabels(text),
      (e: unknown) => e instanceof VigilError && e.code === 'bad_request' && e.message.includes(says) && e.message.endsWith(`at character ${at}`) && e.details?.position === at,
    );
  });
}

test('property: any label set prints to text that parses back to it', () => {
  const name = fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/), fc.string({ minLength: 1, maxLength: 6, unit: 'grapheme' }));
  const value = fc.string({ minLength: 1, maxLength: 12, unit: 'binary' }).filter((v) => !/[\ud800-\udfff]/.test(v));
  fc.assert(
    fc.property(fc.dictionary(name, value, { maxKeys: 5 }), (d) => {
      const set = Object.assign(Object.create(null), d) as LabelSet;
      assert.deepEqual(plain(parseLabels(formatLabels(set))), plain(set));
    }),
    { numRuns: 300 },
  );
});
