// The file output's NDJSON side, on real files in a temp directory: options, appends visible before
// close, `.part` renamed on close, rotation by size and by interval (a moved clock), gzip members,
// OCSF lines, keep, errors, and the repair of what a crash leaves (torn lines, torn gzip members).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createLogger } from '../../core/log.js';
import type { EcsDoc } from '../../core/event.js';
import { SinkError, type OutEvent } from '../sink.js';
import { FileSink, fileSink } from './file.js';
import { jsonDocument } from './event-fields.js';

const log = createLogger('silent');
const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

const tmp = () => mkdtempSync(join(tmpdir(), 'vigil-file-'));
const events = (n: number, from = 0, pad = 0): OutEvent[] =>
  Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const doc: EcsDoc = { '@timestamp': new Date(T0 + i * 1000).toISOString(), host: { name: 'web01' }, event: { kind: 'event', dataset: 'sshd', original: `line ${i} ${'x'.repeat(pad)}` } };
    return { tenant: i % 2 ? 'beta' : 'acme', id: String(1000 + i), doc };
  });

function make(opts: Record<string, unknown>, clock = { t: T0 }, name = 'arch') {
  const o = fileSink.options.parse(opts);
  return new FileSink(o, { name, log }, { now: () => clock.t, timer: false });
}

const files = (dir: string) => readdirSync(dir).sort();
const lines = (buf: Buffer) => buf.toString('utf8').split('\n').filter(Boolean);
const ids = (dir: string, f: string) => lines(readFileSync(join(dir, f))).map((l) => JSON.parse(l).vigil.id as string);

test('options: defaults, format-dependent compression, strict keys, durations', () => {
  const d = fileSink.options.parse({ path: '/x' });
  assert.deepEqual(d, { path: '/x', format: 'ndjson', schema: 'ecs', rotate: { max_bytes: 100 * 1024 * 1024, interval: '1h' }, compression: 'none' });
  assert.equal(fileSink.options.parse({ path: '/x', format: 'parquet' }).compression, 'zstd');
  const bad = (o: Record<string, unknown>) => {
    const r = fileSink.options.safeParse(o);
    assert.equal(r.success, false, JSON.stringify(o));
    return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  };
  assert.match(bad({ path: '/x', compression: 'zstd' }), /^compression: ndjson files take compression none or gzip/);
  assert.match(bad({ path: '/x', format: 'parquet', compression: 'gzip' }), /^compression:/);
  assert.match(bad({ path: '/x', rotat: {} }), /rotat/);
  assert.match(bad({ path: '/x', rotate: { interval: '1M' } }), /^rotate\.interval:/);
  assert.match(bad({ path: '/x', rotate: { max_bytes: 10 } }), /^rotate\.max_bytes:/);
  assert.match(bad({ path: '/x', keep: 0 }), /^keep:/);
  assert.match(bad({}), /^path:/);
});

test('ndjson: a batch is in the .part file when send resolves; close renames it; the lines are the documents', async () => {
  const dir = tmp();
  const s = make({ path: dir });
  const a = events(3);
  const b = events(2, 3);
  await s.send(a);
  const [part] = files(dir);
  assert.match(part!, /^vigil-arch-20261123T080000-000000\.ndjson\.part$/);
  assert.deepEqual(ids(dir, part!), ['1000', '1001', '1002'], 'durable before close');
  await s.send(b);
  await s.send([]);
  await s.close();
  assert.deepEqual(files(dir), ['vigil-arch-20261123T080000-000000.ndjson']);
  const docs = lines(readFileSync(join(dir, files(dir)[0]!))).map((l) => JSON.parse(l) as any);
  assert.equal(docs[1].vigil.tenant, 'beta');
  assert.deepEqual(docs, [...a, ...b].map(jsonDocument));
  // A send after close starts a new file.
  await s.send(events(1, 5));
  await s.close();
  assert.deepEqual(files(dir), ['vigil-arch-20261123T080000-000000.ndjson', 'vigil-arch-20261123T080000-000001.ndjson']);
});

test('rotation by size: no file passes max_bytes (unless one batch does), nothing lost, in order', async () => {
  const dir = tmp();
  const s = make({ path: dir, rotate: { max_bytes: 2048 } });
  for (let i = 0; i < 20; i++) await s.send(events(2, i * 2, 150));
  const big = events(1, 40, 4000);
  await s.send(big);
  await s.close();
  const names = files(dir);
  assert.ok(names.length >= 6, `${names.length} files`);
  assert.ok(names.every((f) => f.endsWith('.ndjson')));
  const all = names.flatMap((f) => ids(dir, f));
  assert.deepEqual(all, Array.from({ length: 41 }, (_, i) => String(1000 + i)));
  for (const f of names) {
    const size = readFileSync(join(dir, f)).length;
    assert.ok(size <= 2048 || ids(dir, f).length === 1, `${f}: ${size} bytes`);
  }
});

test('rotation by interval: the clock passes rotate.interval, tick() closes the idle file; a send rotates first', async () => {
  const dir = tmp();
  const clock = { t: T0 };
  const s = make({ path: dir, rotate: { interval: '15m' } }, clock);
  await s.send(events(2));
  clock.t += 14 * 60_000;
  await s.tick();
  assert.deepEqual(files(dir), ['vigil-arch-20261123T080000-000000.ndjson.part'], 'not yet');
  clock.t += 60_000;
  await s.tick();
  assert.deepEqual(files(dir), ['vigil-arch-20261123T080000-000000.ndjson'], 'closed while idle');
  await s.send(events(1, 2)); // opened at 08:15
  clock.t += 20 * 60_000;
  await s.send(events(1, 3)); // past the interval: rotated before writing
  assert.deepEqual(files(dir), ['vigil-arch-20261123T080000-000000.ndjson', 'vigil-arch-20261123T081500-000001.ndjson', 'vigil-arch-20261123T083500-000002.ndjson.part']);
  await s.close();
});

test('gzip: one member per batch; the file gunzips whole; OCSF lines', async () => {
  const dir = tmp();
  const s = make({ path: dir, compression: 'gzip', schema: 'ocsf' });
  for (let i = 0; i < 3; i++) await s.send(events(4, i * 4));
  await s.close();
  const [f] = files(dir);
  assert.match(f!, /\.ndjson\.gz$/);
  const raw = readFileSync(join(dir, f!));
  let members = 0;
  for (let i = raw.indexOf('\x1f\x8b\x08', 0, 'latin1'); i >= 0; i = raw.indexOf('\x1f\x8b\x08', i + 1, 'latin1')) members++;
  assert.ok(members >= 3, `${members} members`);
  const recs = lines(gunzipSync(raw)).map((l) => JSON.parse(l));
  assert.equal(recs.length, 12);
  assert.equal(recs[0].class_uid, 0);
  assert.equal(recs[0].metadata.uid, '1000');
  assert.equal(recs[1].metadata.tenant_uid, 'beta');
  assert.equal(recs[0].raw_data, 'line 0 ');
});

test('keep: only the newest closed files stay', async () => {
  const dir = tmp();
  const clock = { t: T0 };
  const s = make({ path: dir, keep: 2, rotate: { interval: '1m' } }, clock);
  for (let i = 0; i < 5; i++) {
    await s.send(events(1, i));
    clock.t += 60_000;
    await s.tick();
  }
  assert.deepEqual(files(dir).map((f) => f.slice(-13)), ['000003.ndjson', '000004.ndjson']);
  await s.close();
});

test('a directory that cannot be made is a SinkError for the batch', async () => {
  const dir = tmp();
  writeFileSync(join(dir, 'file'), 'not a directory');
  const s = make({ path: join(dir, 'file', 'sub') });
  await assert.rejects(s.send(events(1)), (err: unknown) => err instanceof SinkError && /file output arch/.test(err.message));
  await s.close();
});

test('crash recovery: a torn last line is cut, the .part closed, an empty part removed, numbering continues', async () => {
  const dir = tmp();
  const good = events(3).map((e) => JSON.stringify(jsonDocument(e)) + '\n').join('');
  writeFileSync(join(dir, 'vigil-arch-20261123T070000-000007.ndjson.part'), good + '{"@timestamp":"2026-11-23T0');
  writeFileSync(join(dir, 'vigil-arch-20261123T070500-000008.ndjson.part'), '{"torn');
  writeFileSync(join(dir, 'vigil-other-20261123T070000-000009.ndjson.part'), 'another output\'s file');
  const s = make({ path: dir });
  await s.tick(); // recovery runs at start
  assert.deepEqual(files(dir), ['vigil-arch-20261123T070000-000007.ndjson', 'vigil-other-20261123T070000-000009.ndjson.part']);
  assert.equal(readFileSync(join(dir, 'vigil-arch-20261123T070000-000007.ndjson'), 'utf8'), good);
  await s.send(events(1, 3));
  await s.close();
  assert.ok(files(dir).includes('vigil-arch-20261123T080000-000009.ndjson'), files(dir).join(' '));
});

test('crash recovery, gzip: a torn last member is cut, so the file gunzips; even one torn inside its header', async () => {
  const dir = tmp();
  const members = [0, 1, 2].map((i) => gzipSync(`{"n":${i}}\n`));
  const torn = gzipSync('{"n":3,"pad":"' + 'y'.repeat(500) + '"}\n');
  const a = 'vigil-arch-20261123T070000-000001.ndjson.gz.part';
  const b = 'vigil-arch-20261123T070100-000002.ndjson.gz.part';
  writeFileSync(join(dir, a), Buffer.concat([...members, torn.subarray(0, 40)]));
  writeFileSync(join(dir, b), Buffer.concat([members[0]!, torn.subarray(0, 1)]));
  assert.throws(() => gunzipSync(readFileSync(join(dir, a))), /unexpected end of file/, 'what a torn member does to readers');
  const s = make({ path: dir, compression: 'gzip' });
  await s.tick();
  assert.deepEqual(files(dir), ['vigil-arch-20261123T070000-000001.ndjson.gz', 'vigil-arch-20261123T070100-000002.ndjson.gz']);
  assert.equal(gunzipSync(readFileSync(join(dir, files(dir)[0]!))).toString(), '{"n":0}\n{"n":1}\n{"n":2}\n');
  assert.equal(gunzipSync(readFileSync(join(dir, files(dir)[1]!))).toString(), '{"n":0}\n');
  await s.close();
});
