// The msgpack boundary scanner against @msgpack/msgpack's encoder: any value, cut anywhere, comes back
// whole and alone, and a prefix never claims to need more bytes than the value has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encode, decode } from '@msgpack/msgpack';
import { MessageSplitter, scanValue, type ScanState } from './msgpack-frame.js';

const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.double({ noNaN: true }),
    fc.string({ maxLength: 300 }),
    fc.uint8Array({ maxLength: 300 }),
    fc.array(tie('v'), { maxLength: 20 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('v'), { maxKeys: 20 }),
  ),
})).v;

test('scanValue: the exact length of every value; any proper prefix is incomplete with a lower bound', () => {
  fc.assert(
    fc.property(value, fc.nat(), (v, cut) => {
      const bytes = Buffer.from(encode(v));
      assert.deepEqual(scanValue(Buffer.concat([bytes, Buffer.from([0xc0, 0x01])])), { complete: true, length: bytes.length });
      const at = cut % bytes.length;
      const r = scanValue(bytes.subarray(0, at));
      assert.equal(r.complete, false);
      if (!r.complete) assert.ok(r.atLeast > at && r.atLeast <= bytes.length, `atLeast ${r.atLeast} for a prefix of ${at} of ${bytes.length}`);
    }),
    { numRuns: 400 },
  );
});

test('MessageSplitter: values split at random points come back whole, in order', () => {
  fc.assert(
    fc.property(fc.array(value, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 12 }), (values, cuts) => {
      const encoded = values.map((v) => Buffer.from(encode(v)));
      const stream = Buffer.concat(encoded);
      const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
      const s = new MessageSplitter(1 << 20);
      const out: Buffer[] = [];
      let prev = 0;
      for (const p of [...points, stream.length]) {
        s.push(stream.subarray(prev, p), (m) => out.push(Buffer.from(m)));
        prev = p;
      }
      assert.deepEqual(out, encoded);
      for (const m of out) decode(m); // each one a whole value
      assert.equal(s.buffered, 0);
    }),
    { numRuns: 300 },
  );
});

test('MessageSplitter refuses a value over its limit from the header, and 0xc1', () => {
  const s = new MessageSplitter(1000);
  assert.throws(() => s.push(Buffer.from([0xdd, 0xff, 0xff, 0xff, 0xff]), () => undefined), /over the 1000-byte limit/); // array32 of 4G items
  assert.throws(() => new MessageSplitter(1000).push(Buffer.from([0x92, 0xc1]), () => undefined), /not msgpack/);
  // The messages before a fault are handed on before it is thrown.
  const got: Buffer[] = [];
  assert.throws(() => new MessageSplitter(1000).push(Buffer.from([0xc0, 0x01, 0xc1]), (m) => got.push(m)), /not msgpack/);
  assert.deepEqual(got, [Buffer.from([0xc0]), Buffer.from([0x01])]);
});

test('scanValue resumes where it stopped: the same answers as a scan from the start', () => {
  fc.assert(
    fc.property(value, fc.array(fc.nat(), { maxLength: 8 }), (v, cuts) => {
      const bytes = Buffer.from(encode(v));
      let resume: ScanState | undefined;
      for (const at of [...new Set(cuts.map((c) => c % bytes.length))].sort((a, b) => a - b)) {
        const fresh = scanValue(bytes.subarray(0, at));
        const resumed = scanValue(bytes.subarray(0, at), resume);
        assert.equal(resumed.complete, false);
        assert.equal(fresh.complete, false);
        if (!resumed.complete && !fresh.complete) {
          assert.equal(resumed.atLeast, fresh.atLeast);
          resume = resumed.resume;
        }
      }
      assert.deepEqual(scanValue(bytes, resume), { complete: true, length: bytes.length });
    }),
    { numRuns: 300 },
  );
});

test('MessageSplitter: a Forward message of several MB cut into 1 KiB chunks comes back whole, and the splitter stays usable', () => {
  const entries = Array.from({ length: 20_000 }, (_, i) => [1_700_000_000 + i, { message: `line ${i} ${'x'.repeat(200)}` }]);
  const message = Buffer.from(encode(['app.log', entries]));
  const after = Buffer.from(encode(['app.log', 1_700_000_000, { message: 'next' }]));
  const stream = Buffer.concat([message, after]);
  const s = new MessageSplitter(16 << 20);
  const out: Buffer[] = [];
  for (let o = 0; o < stream.length; o += 1024) s.push(stream.subarray(o, o + 1024), (m) => out.push(m));
  assert.equal(out.length, 2);
  assert.ok(out[0]!.equals(message), 'the large message, byte for byte');
  assert.ok(out[1]!.equals(after));
  assert.equal(s.buffered, 0);
});
