// The row split is lossless: every parser's golden documents go through docToRow, JSON (as the NDJSON
// batch file does) and rowToDoc, and come back equal, with derived fields left out of `rest` when they
// agree with the columns and kept when they do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { docToRow, rowToDoc } from './row.js';
import type { EcsDoc } from '../core/event.js';

const PARSERS = join(import.meta.dirname, '../process/parsers');

function goldens(): EcsDoc[] {
  const out: EcsDoc[] = [];
  for (const p of readdirSync(PARSERS)) {
    const dir = join(PARSERS, p, 'fixtures');
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names.filter((x) => x.endsWith('.ecs.json'))) {
      const v: unknown = JSON.parse(readFileSync(join(dir, n), 'utf8'));
      for (const d of Array.isArray(v) ? v : [v]) out.push(d as EcsDoc);
    }
  }
  return out;
}

/** A stored time comes back as DuckDB prints it; the test compares what the store would. */
const back = (doc: EcsDoc) => {
  const row = JSON.parse(JSON.stringify(docToRow('t', 7n, doc))) as Record<string, unknown>;
  if (typeof row.ts === 'string') row.ts = row.ts.replace('T', ' ').replace('Z', '');
  if (typeof row.ingested === 'string') row.ingested = row.ingested.replace('T', ' ').replace('Z', '');
  const d = rowToDoc(JSON.parse(JSON.stringify(row)) as Record<string, unknown>);
  delete d._id;
  delete (d.vigil as EcsDoc).tenant;
  if (Object.keys(d.vigil as EcsDoc).length === 0) delete d.vigil;
  return { row, doc: d };
};

test('every golden document survives the row split unchanged', () => {
  const docs = goldens();
  assert.ok(docs.length > 100, `found ${docs.length} golden documents`);
  for (const doc of docs) {
    const { doc: again } = back(doc);
    assert.deepEqual(again, JSON.parse(JSON.stringify(doc)), JSON.stringify(doc).slice(0, 300));
  }
});

test('derived syslog fields: left out when they agree with the columns, kept when they do not, and the event is never changed', () => {
  const doc: EcsDoc = {
    '@timestamp': '2026-11-23T08:00:00.000Z',
    host: { name: 'web1', hostname: 'web1' },
    process: { name: 'sshd', pid: 42 },
    log: { syslog: { priority: 38, appname: 'sshd', procid: '42', facility: { code: 4, name: 'auth' }, severity: { code: 6, name: 'informational' } } },
  };
  const before = JSON.stringify(doc);
  const { row, doc: again } = back(doc);
  assert.equal(row.rest, undefined, 'nothing left for rest');
  assert.equal(row.derived, 63);
  assert.deepEqual(again, JSON.parse(before));
  assert.equal(JSON.stringify(doc), before, 'the processed event is not mutated');

  const odd: EcsDoc = { '@timestamp': '2026-11-23T08:00:00.000Z', host: { name: 'web1', hostname: 'web1.example.com' }, log: { syslog: { priority: 38, facility: { code: 4, name: 'security' } } } };
  const o = back(odd);
  assert.deepEqual(o.row.rest, { host: { hostname: 'web1.example.com' }, log: { syslog: { facility: { name: 'security' } } } });
  assert.deepEqual(o.doc, odd);
});

test('copies of source and destination (client.*, server.*, *.address, observer.hostname) are derived when equal', () => {
  const doc: EcsDoc = {
    '@timestamp': '2026-11-23T08:00:00.000Z',
    host: { name: 'ns1' },
    observer: { hostname: 'ns1', vendor: 'ISC' },
    source: { ip: '10.1.2.3', port: 5353, address: '10.1.2.3' },
    client: { ip: '10.1.2.3', address: '10.1.2.3', port: 5353 },
    destination: { ip: '10.0.0.53', port: 53, address: '10.0.0.53' },
    server: { ip: '10.0.0.53', address: '10.0.0.53', port: 53 },
  };
  const { row, doc: again } = back(doc);
  assert.deepEqual(row.rest, { observer: { vendor: 'ISC' } });
  assert.equal(row.derived, 64 | 128 | 256 | 512 | 1024 | 2048 | 4096 | 8192 | 16384);
  assert.deepEqual(again, doc);

  // A copy that differs, or has another type, is kept as sent.
  const odd: EcsDoc = { '@timestamp': '2026-11-23T08:00:00.000Z', source: { ip: '10.1.2.3', port: 5353 }, client: { ip: '10.1.2.4', port: '5353' }, server: { address: 'ns1.example.com' } };
  const o = back(odd);
  assert.deepEqual(o.row.rest, { client: { ip: '10.1.2.4', port: '5353' }, server: { address: 'ns1.example.com' } });
  assert.equal(o.row.derived, undefined);
  assert.deepEqual(o.doc, odd);
});
