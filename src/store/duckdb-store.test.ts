import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckStore } from './duckdb-store.js';
import { enforceRetention } from './retention.js';

const doc = (ts: string, extra: Record<string, unknown> = {}) => ({
  '@timestamp': ts,
  event: { ingested: ts, kind: 'event', category: ['authentication'], outcome: 'failure', original: `raw ${ts}` },
  user: { name: 'alice', id: 'u-1' },
  source: { ip: '10.0.0.1', port: 22, geo: { country_iso_code: 'GB' } },
  vigil: { parse: { status: 'unparsed' }, input: 'test' },
  custom: { nested: { deep: [1, 2, 3] } },
  ...extra,
});

test('a document round-trips through columns and rest; the checkpoint commits with the batch', async () => {
  const store = await DuckStore.open({ dataDir: mkdtempSync(join(tmpdir(), 'store-')) });
  const original = doc('2026-11-23T10:00:00.123Z');
  await store.writeBatch([{ tenant: 'a', id: 7n, doc: structuredClone(original) }], 'store', 1234);
  assert.equal(await store.checkpoint('store'), 1234);
  const { rows } = await store.query('SELECT * FROM events WHERE tenant = $1', ['a']);
  const back = DuckStore.docs(rows)[0] as any;
  assert.equal(back._id, '7');
  assert.equal(back.vigil.tenant, 'a');
  delete back._id;
  delete back.vigil.tenant;
  assert.deepEqual(back, original);
  // Hot fields live in columns, not twice in rest.
  const rest = JSON.parse(String(rows[0]!.rest));
  assert.equal(rest.user.name, undefined);
  assert.equal(rest.user.id, 'u-1');
  assert.equal(rows[0]!.user_name, 'alice');
  await store.close();
});

test('a value that does not fit its column stays in rest, unchanged', async () => {
  const store = await DuckStore.open({ dataDir: mkdtempSync(join(tmpdir(), 'store-')) });
  const d = doc('2026-11-23T10:00:00Z', { destination: { port: 'not-a-number' } });
  await store.writeBatch([{ tenant: 'a', id: 1n, doc: structuredClone(d) }], 'store', 1);
  const back = DuckStore.docs((await store.query('SELECT * FROM events')).rows)[0] as any;
  assert.equal(back.destination.port, 'not-a-number');
  await store.close();
});

test('a failed batch rolls back: neither rows nor checkpoint move', async () => {
  const store = await DuckStore.open({ dataDir: mkdtempSync(join(tmpdir(), 'store-')) });
  await store.writeBatch([{ tenant: 'a', id: 1n, doc: doc('2026-11-23T10:00:00Z') }], 'store', 10);
  // A negative id does not fit UBIGINT, so the INSERT fails inside the transaction.
  await assert.rejects(store.writeBatch([{ tenant: 'a', id: -1n, doc: doc('2026-11-23T10:00:01Z') }], 'store', 20));
  assert.equal(await store.checkpoint('store'), 10);
  const { rows } = await store.query('SELECT count(*) AS n FROM events');
  assert.equal(Number(rows[0]!.n), 1);
  await store.close();
});

test('retention deletes each tenant\'s events older than its own retention_days', async () => {
  const store = await DuckStore.open({ dataDir: mkdtempSync(join(tmpdir(), 'store-')) });
  const now = new Date('2026-11-23T12:00:00Z');
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
  const events = [
    { tenant: 'short', id: 1n, doc: doc(daysAgo(2)) },
    { tenant: 'short', id: 2n, doc: doc(daysAgo(10)) },
    { tenant: 'long', id: 3n, doc: doc(daysAgo(10)) },
    { tenant: 'long', id: 4n, doc: doc(daysAgo(100)) },
  ];
  await store.writeBatch(events, 'store', 1);
  const deleted = await enforceRetention(store, [{ name: 'short', retention_days: 7 }, { name: 'long', retention_days: 30 }], now);
  assert.deepEqual(deleted, { short: 1, long: 1 });
  const { rows } = await store.query('SELECT id FROM events ORDER BY id');
  assert.deepEqual(rows.map((r) => Number(r.id)), [1, 3]);
  await store.close();
});

test('time stamps come back in one ISO shape', async () => {
  const { isoFromDuck } = await import('./row.js');
  assert.equal(isoFromDuck('2026-11-23 09:12:53'), '2026-11-23T09:12:53.000Z');
  assert.equal(isoFromDuck('2026-11-23 09:12:53.5'), '2026-11-23T09:12:53.500Z');
  assert.equal(isoFromDuck('2026-11-23 09:12:53.123456'), '2026-11-23T09:12:53.123456Z');
  assert.equal(isoFromDuck('2026-11-23 09:12:53.120000'), '2026-11-23T09:12:53.120Z');
});

test('a message that is the tail of the original is stored once, and read and searched as before', async () => {
  const store = await DuckStore.open({ dataDir: mkdtempSync(join(tmpdir(), 'store-')) });
  const line = '<13>Nov 23 10:00:00 h app: caf\u00e9 \u{1F600} tail message';
  const d = { '@timestamp': '2026-11-23T10:00:00.000Z', message: 'caf\u00e9 \u{1F600} tail message', event: { original: line, ingested: '2026-11-23T10:00:00.000Z' } };
  const other = { '@timestamp': '2026-11-23T10:00:01.000Z', message: 'not in original', event: { original: 'something else', ingested: '2026-11-23T10:00:01.000Z' } };
  await store.writeBatch([{ tenant: 'a', id: 1n, doc: structuredClone(d) }, { tenant: 'a', id: 2n, doc: structuredClone(other) }], 'store', 1);
  const { rows } = await store.query('SELECT * FROM events ORDER BY id');
  assert.equal(rows[0]!.message, null);
  assert.equal(Number(rows[0]!.message_len), 19);
  assert.equal(rows[1]!.message, 'not in original');
  const docs = DuckStore.docs(rows) as any[];
  assert.equal(docs[0].message, d.message);
  assert.equal(docs[1].message, 'not in original');
  const { compileFilter } = await import('../query/compile.js');
  const { parseQuery } = await import('../ql/parser.js');
  const f = compileFilter(parseQuery('message:"\u{1F600} tail"').filter, 1);
  const hit = await store.query(`SELECT id FROM events WHERE ${f.sql}`, f.params);
  assert.deepEqual(hit.rows.map((r) => Number(r.id)), [1]);
  const none = compileFilter(parseQuery('message:"<13>"').filter, 1);
  assert.equal((await store.query(`SELECT id FROM events WHERE ${none.sql}`, none.params)).rows.length, 0, 'the header is not part of message');
  await store.close();
});

test('syslog header fields derivable from columns are stored once, restored exactly, and searchable', async () => {
  const store = await DuckStore.open({ dataDir: mkdtempSync(join(tmpdir(), 'store-')) });
  const header = (host: string, app: string, pid: number, pri: number) => ({
    host: { hostname: host, name: host },
    process: { name: app, pid },
    log: { syslog: { priority: pri, facility: { code: pri >> 3, name: ['kern', 'user', 'mail', 'daemon', 'auth'][pri >> 3] }, severity: { code: pri & 7, name: ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'][pri & 7] }, appname: app, procid: String(pid) } },
  });
  const plain = { '@timestamp': '2026-11-23T10:00:00.000Z', event: { ingested: '2026-11-23T10:00:00.000Z', original: 'x' }, ...header('bastion', 'sshd', 42, 38) };
  // A parser renamed the process: appname no longer equals process.name and must stay in rest.
  const renamed: any = { '@timestamp': '2026-11-23T10:00:01.000Z', event: { ingested: '2026-11-23T10:00:01.000Z', original: 'y' }, ...header('web1', 'httpd', 7, 30) };
  renamed.process.name = 'apache';
  await store.writeBatch([{ tenant: 'a', id: 1n, doc: structuredClone(plain) }, { tenant: 'a', id: 2n, doc: structuredClone(renamed) }], 'store', 1);
  const { rows } = await store.query('SELECT * FROM events ORDER BY id');
  assert.equal(Number(rows[0]!.derived), 63, 'all six derived fields left out');
  assert.equal(rows[0]!.rest, null, 'nothing else was left in rest');
  const docs = DuckStore.docs(rows) as any[];
  for (const [got, want] of [[docs[0], plain], [docs[1], renamed]] as const) {
    delete got._id;
    delete got.vigil;
    assert.deepEqual(got, want);
  }
  assert.equal(JSON.parse(String(rows[1]!.rest)).log.syslog.appname, 'httpd');
  const { compileFilter } = await import('../query/compile.js');
  const { parseQuery } = await import('../ql/parser.js');
  const ids = async (q: string) => {
    const f = compileFilter(parseQuery(q).filter, 1);
    return (await store.query(`SELECT id FROM events WHERE ${f.sql} ORDER BY id`, f.params)).rows.map((r) => Number(r.id));
  };
  assert.deepEqual(await ids('log.syslog.facility.name:auth'), [1]);
  assert.deepEqual(await ids('log.syslog.facility.code:3'), [2]);
  assert.deepEqual(await ids('log.syslog.appname:httpd'), [2], 'a value kept in rest is still found');
  assert.deepEqual(await ids('log.syslog.appname:sshd'), [1]);
  assert.deepEqual(await ids('host.hostname:web*'), [2]);
  assert.deepEqual(await ids('log.syslog.severity.name:informational and log.syslog.procid:42'), [1]);
  await store.close();
});

test('a batch is stored in time order whatever order it arrived in (row groups prune time ranges)', async () => {
  const store = await DuckStore.open({ dataDir: mkdtempSync(join(tmpdir(), 'store-')) });
  const times = Array.from({ length: 3000 }, (_, i) => new Date(Date.UTC(2026, 10, 23, 0, 0, 0) + ((i * 7919) % 3000) * 1000).toISOString());
  await store.writeBatch(times.map((t, i) => ({ tenant: 'a', id: BigInt(i), doc: doc(t) })), 'store', 1);
  // No ORDER BY: the physical order.
  const { rows } = await store.query('SELECT ts FROM events');
  const got = rows.map((r) => String(r.ts));
  assert.equal(got.length, 3000);
  assert.deepEqual(got, [...got].sort());
  await store.close();
});
