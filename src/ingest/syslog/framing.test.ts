import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SyslogFramer, type Frame } from './framing.js';

type Plain = [string, boolean?]; // [data as latin1, truncated (omitted when false)]

function plain(frames: Frame[]): Plain[] {
  return frames.map((f) => (f.truncated ? [f.data.toString('latin1'), true] : [f.data.toString('latin1')]));
}

/** Feeds the chunks and closes the connection; returns frames and the final mode. */
function run(chunks: (Buffer | string)[], maxFrameBytes = 1024) {
  const f = new SyslogFramer({ maxFrameBytes });
  const out: Frame[] = [];
  for (const c of chunks) out.push(...f.push(typeof c === 'string' ? Buffer.from(c, 'latin1') : c));
  out.push(...f.end());
  return { frames: plain(out), mode: f.mode };
}

function splitAt(buf: Buffer, cuts: number[]): Buffer[] {
  const pos = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of pos) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  out.push(buf.subarray(prev));
  return out;
}

const CASES: { name: string; chunks: string[]; max?: number; frames: Plain[]; mode: string }[] = [
  {
    name: 'LF: \\n, \\r\\n and \\0 terminators, empty frames skipped, tail flushed at end',
    chunks: ['<13>a\n<13>b\r\n<13>c\0<13>d\n\n\r\n\0<13>tail'],
    frames: [['<13>a'], ['<13>b'], ['<13>c'], ['<13>d'], ['<13>tail']],
    mode: 'lf',
  },
  { name: 'LF: leading blank lines before detection', chunks: ['\r\n \n', '<13>x\n'], frames: [['<13>x']], mode: 'lf' },
  { name: 'LF: CR split from its LF across chunks', chunks: ['<1>a\r', '\n<1>b\r', '\n'], frames: [['<1>a'], ['<1>b']], mode: 'lf' },
  { name: 'LF: only one trailing CR is stripped', chunks: ['<1>a\r\r\n'], frames: [['<1>a\r']], mode: 'lf' },
  { name: 'nothing but whitespace', chunks: [' \n\r\n'], frames: [], mode: 'unknown' },
  {
    name: 'octet counting: frames may contain newlines and NULs',
    chunks: ['11 <13>a\nb\0c\r\n6 <13>xy'],
    frames: [['<13>a\nb\0c\r\n'], ['<13>xy']],
    mode: 'octet-counting',
  },
  {
    name: 'octet counting: newline separators between frames tolerated',
    chunks: ['5 <1>ab\n5 <1>cd\r\n'],
    frames: [['<1>ab'], ['<1>cd']],
    mode: 'octet-counting',
  },
  {
    name: 'octet counting: prefix split across chunks',
    chunks: ['1', '1', ' <13>hello', ' w', '5 ', 'a', 'bcde'],
    frames: [['<13>hello w'], ['abcde']],
    mode: 'octet-counting',
  },
  {
    name: 'octet counting -> LF on a non-digit in the prefix; the prefix bytes are kept',
    chunks: ['5 <1>ab12x4 abc\n<1>next\n'],
    frames: [['<1>ab'], ['12x4 abc'], ['<1>next']],
    mode: 'lf',
  },
  {
    name: 'an LF stream starting with an ISO date is detected as LF after the first bytes',
    chunks: ['2024-03-01T10:00:00Z host prog: m1\n2024-03-01T10:00:01Z host prog: m2\n'],
    frames: [['2024-03-01T10:00:00Z host prog: m1'], ['2024-03-01T10:00:01Z host prog: m2']],
    mode: 'lf',
  },
  {
    name: 'octet counting -> LF when no space within 10 digits',
    chunks: ['5 <1>ab', '12345678901 x\n'],
    frames: [['<1>ab'], ['12345678901 x']],
    mode: 'lf',
  },
  {
    name: 'octet counting -> LF on a leading zero length',
    chunks: ['5 <1>ab05 <1>cd'],
    frames: [['<1>ab'], ['05 <1>cd']],
    mode: 'lf',
  },
  {
    name: 'octet counting: connection closed mid-frame keeps the partial frame, flagged',
    chunks: ['5 <1>ab10 <1>c'],
    frames: [['<1>ab'], ['<1>c', true]],
    mode: 'octet-counting',
  },
  {
    name: 'octet counting: bare digits at close are kept as data',
    chunks: ['5 <1>ab42'],
    frames: [['<1>ab'], ['42']],
    mode: 'octet-counting',
  },
  {
    name: 'LF: over-long line truncated, rest dropped, next line intact',
    chunks: ['0123456789\n', '0123456789\r\n', '0123456789A', 'BCDEF\n', 'ok\n'],
    max: 10,
    frames: [['0123456789'], ['0123456789'], ['0123456789', true], ['ok']],
    mode: 'lf',
  },
  {
    name: 'LF: over-long unterminated tail at close',
    chunks: ['abcdefghijklmnop'],
    max: 4,
    frames: [['abcd', true]],
    mode: 'lf',
  },
  {
    name: 'octet counting: over-long frame truncated, rest skipped, next frame intact',
    chunks: ['10 0123', '456789', '3 abc5 vwxyz'],
    max: 5,
    frames: [['01234', true], ['abc'], ['vwxyz']],
    mode: 'octet-counting',
  },
];

for (const c of CASES) {
  test(`framing: ${c.name}`, () => {
    assert.deepEqual(run(c.chunks, c.max), { frames: c.frames, mode: c.mode });
  });
}

test('frames are emitted as soon as complete', () => {
  const f = new SyslogFramer({ maxFrameBytes: 100 });
  assert.deepEqual(plain(f.push(Buffer.from('<1>a\n<1>b'))), [['<1>a']]);
  assert.equal(f.mode, 'lf');
  assert.deepEqual(plain(f.push(Buffer.from('c\n'))), [['<1>bc']]);
  assert.deepEqual(f.end(), []);
  const o = new SyslogFramer({ maxFrameBytes: 3 });
  assert.deepEqual(plain(o.push(Buffer.from('9 abc'))), [['abc', true]]); // truncated frame emitted before its end
  assert.deepEqual(plain(o.push(Buffer.from('defghi2 xy'))), [['xy']]);
});

// ---- properties ----
const FRAGMENTS = ['1', '5', '12 ', '3 ', '0', ' ', '\n', '\r\n', '\r', '\0', '<13>', 'abc', 'x', '1234567890', '99999999999'];
const streamArb = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }).map((a) => Buffer.from(a.join(''), 'latin1'));
const cutsArb = fc.array(fc.nat(), { maxLength: 20 });

test('property: any chunking of any byte stream yields the same frames as one push', () => {
  fc.assert(
    fc.property(
      fc.oneof(streamArb, fc.uint8Array({ maxLength: 200 }).map((u) => Buffer.from(u))),
      cutsArb,
      fc.integer({ min: 1, max: 40 }),
      (stream, cuts, max) => {
        assert.deepEqual(run(splitAt(stream, cuts), max), run([stream], max));
      },
    ),
    { numRuns: 3000 },
  );
});

test('property: octet-counted frames round-trip exactly under any chunking', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 20 }), cutsArb, (frames, cuts) => {
      const stream = Buffer.concat(frames.flatMap((d) => [Buffer.from(`${d.length} `), d]));
      const got = run(splitAt(stream, cuts), 1000);
      assert.equal(got.mode, 'octet-counting');
      assert.deepEqual(got.frames, frames.map((d) => [Buffer.from(d).toString('latin1')]));
    }),
    { numRuns: 1000 },
  );
});

test('property: LF-framed lines round-trip under any chunking', () => {
  const line = fc
    .uint8Array({ maxLength: 200 })
    .map((u) => Buffer.concat([Buffer.from('<13>'), Buffer.from(u.filter((x) => x !== 0x0a && x !== 0x00))]));
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), fc.constantFrom('\n', '\r\n', '\0'), cutsArb, (lines, term, cuts) => {
      const stream = Buffer.concat(lines.flatMap((l) => [l, Buffer.from(term)]));
      const got = run(splitAt(stream, cuts), 1000);
      assert.equal(got.mode, 'lf');
      const want = lines.map((l) => {
        const s = l.toString('latin1');
        return [term === '\r\n' || !s.endsWith('\r') ? s : s.slice(0, -1)];
      });
      assert.deepEqual(got.frames, want);
    }),
    { numRuns: 1000 },
  );
});

// ---- resource bounds ----
test('1 GB line: memory stays bounded in both modes', () => {
  const chunk = Buffer.alloc(1 << 20, 0x61); // reused: frames never point into discarded bytes
  for (const mode of ['lf', 'octet'] as const) {
    const f = new SyslogFramer({ maxFrameBytes: 64 * 1024 });
    const frames: Frame[] = [];
    if (mode === 'octet') frames.push(...f.push(Buffer.from(`${1024 * chunk.length} `)));
    for (let i = 0; i < 1024; i++) {
      frames.push(...f.push(chunk));
      const inner = f as unknown as { pendingLen: number; pieces: Buffer[] };
      assert.ok(inner.pendingLen <= 64 * 1024 + 1 && inner.pieces.length <= 1);
    }
    frames.push(...f.push(Buffer.from(mode === 'lf' ? '\n<1>after\n' : '8 <1>after')), ...f.end());
    assert.equal(frames.length, 2, mode);
    assert.equal(frames[0]!.truncated, true);
    assert.equal(frames[0]!.data.length, 64 * 1024);
    assert.deepEqual(plain(frames.slice(1)), [['<1>after']]);
  }
});

test('many tiny chunks and huge chunks with many frames stay linear', () => {
  const lines = Array.from({ length: 100_000 }, (_, i) => `<13>Jun 14 08:00:00 host app[${i}]: message number ${i}`);
  const lf = Buffer.from(lines.join('\n') + '\n');
  const oc = Buffer.concat(lines.map((l) => Buffer.from(`${l.length} ${l}`)));
  for (const stream of [lf, oc]) {
    let t0 = performance.now();
    let f = new SyslogFramer({ maxFrameBytes: 8192 });
    assert.equal(f.push(stream).length, lines.length);
    assert.ok(performance.now() - t0 < 1000, 'one big chunk');

    const head = stream.subarray(0, 300_000); // ~5000 frames fed one byte at a time
    t0 = performance.now();
    f = new SyslogFramer({ maxFrameBytes: 8192 });
    let n = 0;
    for (let i = 0; i < head.length; i++) n += f.push(head.subarray(i, i + 1)).length;
    assert.ok(n > 4000);
    assert.ok(performance.now() - t0 < 2000, 'byte-by-byte');
  }
  // A single frame arriving in many small pieces is concatenated once, not per piece.
  const f = new SyslogFramer({ maxFrameBytes: 1 << 20 });
  const piece = Buffer.alloc(16, 0x62);
  const t0 = performance.now();
  for (let i = 0; i < 60_000; i++) f.push(piece);
  const [frame] = f.push(Buffer.from('\n'));
  assert.equal(frame?.data.length, 960_000);
  assert.ok(performance.now() - t0 < 1000, 'long frame in small pieces');
});
