import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync, truncateSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wal } from './wal.js';
import type { Entry } from './entry.js';

function entry(i: number, n = 3): Entry {
  return {
    meta: { tenant: 't', input: 'test', codec: 'text', received: 1_700_000_000_000 + i },
    records: Array.from({ length: n }, (_, k) => Buffer.from(`entry ${i} record ${k}`)),
  };
}

async function readAll(wal: Wal, from = 0) {
  const out: string[] = [];
  let pos = from;
  for (;;) {
    const r = await wal.read(pos, 4096);
    if (r.entries.length === 0 && r.next === pos) break;
    for (const e of r.entries) out.push(...e.entry.records.map((b) => b.toString()));
    pos = r.next;
  }
  return { out, pos };
}

test('appends are readable in order once durable, and survive reopen', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wal-'));
  const wal = await Wal.open({ dir });
  const pos = await wal.append([entry(1), entry(2)]);
  assert.equal(pos.first, 0);
  assert.equal(wal.durable, pos.next);
  await wal.close();
  const again = await Wal.open({ dir });
  assert.equal(again.head, pos.next);
  const { out } = await readAll(again);
  assert.equal(out.length, 6);
  assert.equal(out[0], 'entry 1 record 0');
  assert.equal(out[5], 'entry 2 record 2');
  await again.close();
});

test('concurrent appends share fsyncs (group commit)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wal-'));
  const wal = await Wal.open({ dir });
  await Promise.all(Array.from({ length: 200 }, (_, i) => wal.append([entry(i, 1)])));
  assert.ok(wal.fsyncCount < 20, `expected few fsyncs for 200 concurrent appends, got ${wal.fsyncCount}`);
  const { out } = await readAll(wal);
  assert.equal(out.length, 200);
  await wal.close();
});

test('a torn tail is cut off on open and appends continue after the last whole entry', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wal-'));
  const wal = await Wal.open({ dir });
  const a = await wal.append([entry(1)]);
  const b = await wal.append([entry(2)]);
  await wal.close();
  const seg = join(dir, readdirSync(dir)[0]!);
  truncateSync(seg, b.next - 5); // half of entry 2 reached the disk
  appendFileSync(seg, Buffer.from([1, 2, 3])); // plus garbage
  const torn: unknown[] = [];
  const wal2 = await Wal.open({ dir });
  wal2.on('torn', (t) => torn.push(t));
  assert.equal(wal2.head, a.next);
  assert.equal(statSync(seg).size, a.next);
  await wal2.append([entry(3)]);
  const { out } = await readAll(wal2);
  assert.deepEqual(
    out.map((s) => s.split(' record')[0]),
    ['entry 1', 'entry 1', 'entry 1', 'entry 3', 'entry 3', 'entry 3'],
  );
  await wal2.close();
});

test('segments roll, reads cross them, and release deletes only consumed ones', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wal-'));
  const wal = await Wal.open({ dir, segmentBytes: 300 });
  const positions = [];
  for (let i = 0; i < 10; i++) positions.push(await wal.append([entry(i)]));
  assert.ok(wal.stats().segments >= 4, `expected several segments, got ${wal.stats().segments}`);
  const { out, pos } = await readAll(wal);
  assert.equal(out.length, 30);
  assert.equal(pos, wal.head);
  const removed = await wal.release(positions[5]!.next);
  assert.ok(removed > 0);
  const rest = await readAll(wal, positions[5]!.next);
  assert.equal(rest.out.length, 12);
  await wal.release(wal.head);
  assert.equal(wal.stats().segments, 1, 'the active segment is kept');
  await wal.close();
  const reopened = await Wal.open({ dir, segmentBytes: 300 });
  assert.equal(reopened.head, positions[9]!.next, 'head offset survives release and restart');
  await reopened.close();
});

test('an empty WAL starts at the consumer position so offsets never repeat', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wal-'));
  const wal = await Wal.open({ dir, startAt: 12345 });
  const p = await wal.append([entry(1)]);
  assert.equal(p.first, 12345);
  const { out } = await readAll(wal, 12345);
  assert.equal(out.length, 3);
  await wal.close();
});

test('an entry larger than the read size is still read whole', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wal-'));
  const wal = await Wal.open({ dir });
  const big: Entry = { meta: entry(0).meta, records: [Buffer.alloc(100_000, 'x')] };
  await wal.append([big, entry(1)]);
  const r = await wal.read(0, 1000);
  assert.equal(r.entries.length, 1);
  assert.equal(r.entries[0]!.entry.records[0]!.length, 100_000);
  await wal.close();
});
