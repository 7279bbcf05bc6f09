import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeText } from './text.js';

const b = (...xs: (number | string)[]) =>
  Buffer.concat(xs.map((x) => (typeof x === 'string' ? Buffer.from(x, 'utf8') : Buffer.from([x]))));

const CASES: [string, Buffer | Uint8Array, string, boolean][] = [
  ['ascii', b('<13>hello'), '<13>hello', false],
  ['empty', b(), '', false],
  ['only terminators', b('\r\n', 0, 0), '', false],
  ['utf-8 multibyte', b('user=jürgen ✓ 😀'), 'user=jürgen ✓ 😀', false],
  ['BOM stripped', b(0xef, 0xbb, 0xbf, 'abc'), 'abc', false],
  ['BOM only', b(0xef, 0xbb, 0xbf), '', false],
  ['trailing CRLF and NULs stripped, in any order', b('msg\r\n', 0, '\n', 0), 'msg', false],
  ['inner CR/LF/NUL kept', b('a\r\nb', 0, 'c'), 'a\r\nb\0c', false],
  ['leading whitespace kept', b('  x\n'), '  x', false],
  ['latin1 fallback', b('caf', 0xe9), 'café', true],
  ['windows-1252 punctuation', b(0x93, 'quoted', 0x94, ' ', 0x80, '5 ', 0x97), '\u201Cquoted\u201D \u20AC5 \u2014', true],
  ['cp1252 holes keep C1 code points', b(0x81, 0x8d, 0x8f, 0x90, 0x9d), '\u0081\u008D\u008F\u0090\u009D', true],
  ['truncated utf-8 sequence', b('ab', 0xe2, 0x82), 'ab\u00E2\u201A', true],
  ['utf-8 surrogate encoding is invalid', b(0xed, 0xa0, 0x80), '\u00ED\u00A0\u20AC', true],
  ['overlong encoding is invalid', b(0xc0, 0xaf), '\u00C0\u00AF', true],
  ['BOM then invalid bytes', b(0xef, 0xbb, 0xbf, 0xff, '\n'), '\u00FF', true],
  ['plain Uint8Array', new Uint8Array([0x68, 0x69, 0x0a]), 'hi', false],
  ['Uint8Array view with offset', new Uint8Array([0x78, 0x68, 0x69, 0x78]).subarray(1, 3), 'hi', false],
];

for (const [name, input, text, lossy] of CASES) {
  test(`decodeText: ${name}`, () => {
    assert.deepEqual(decodeText(input), { text, lossy });
  });
}

test('fuzz: valid UTF-8 round-trips (minus the stripped ends)', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
      const noBom = s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
      const want = noBom.replace(/[\0\r\n]+$/, '');
      assert.deepEqual(decodeText(Buffer.from(s, 'utf8')), { text: want, lossy: false });
    }),
    { numRuns: 2000 },
  );
});

test('fuzz: random bytes never throw and lossy means invalid UTF-8', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const r = decodeText(bytes);
      assert.equal(typeof r.text, 'string');
      const last = r.text.charCodeAt(r.text.length - 1);
      assert.ok(last !== 0 && last !== 10 && last !== 13);
      // Reference: WHATWG strict decoder (ignoreBOM so the BOM handling is ours to check).
      const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
      if (r.lossy) assert.throws(() => strict.decode(bytes));
      else {
        const ref = strict.decode(bytes);
        assert.equal(r.text, (ref.charCodeAt(0) === 0xfeff ? ref.slice(1) : ref).replace(/[\0\r\n]+$/, ''));
      }
    }),
    { numRuns: 2000 },
  );
});

test('throughput: hot path well above 100k lines/s', () => {
  const ascii = Buffer.from('<38>Jun 14 08:00:00 bastion sshd[1234]: Accepted publickey for deploy from 198.51.100.23 port 50022\n');
  const utf8 = Buffer.from('<38>Jun 14 08:00:00 bastion app: user=jürgen logged in from München\n');
  const n = 200_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) decodeText(i & 1 ? ascii : utf8);
  const perSec = n / ((performance.now() - t0) / 1000);
  assert.ok(perSec > 100_000, `${Math.round(perSec)} lines/s`);
  console.log(`# decodeText: ${Math.round(perSec).toLocaleString('en')} lines/s`);
});

test('large invalid input decodes in bounded time', () => {
  const big = Buffer.alloc(4 << 20, 0x93);
  const t0 = performance.now();
  const r = decodeText(big);
  assert.equal(r.lossy, true);
  assert.equal(r.text.length, big.length);
  assert.ok(performance.now() - t0 < 2000);
});
