// The file output's Parquet side, read back with a real DuckDB: the fixed column sets (names and types,
// the same in every file however sparse the events), the values, the compression, rotation, and a
// staging file left by a crash converted on start. Events are golden parser outputs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { createLogger } from '../../core/log.js';
import type { EcsDoc } from '../../core/event.js';
import type { OutEvent } from '../sink.js';
import { FileSink, fileSink } from './file.js';
import { jsonDocument } from './event-fields.js';
import { ECS_PARQUET } from './parquet.js';

const log = createLogger('silent');
const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);
const PARSERS = fileURLToPath(new URL('../../process/parsers/', import.meta.url));

const golden = (parser: string, fixture: string) => JSON.parse(readFileSync(join(PARSERS, parser, 'fixtures', `${fixture}.ecs.json`), 'utf8')) as EcsDoc[];
const out = (docs: EcsDoc[], from = 0): OutEvent[] => docs.map((doc, i) => ({ tenant: 'acme', id: String(5000 + from + i), doc }));
const SSHD = out(golden('sshd', 'sshd'));

const tmp = () => mkdtempSync(join(tmpdir(), 'vigil-parquet-'));
const files = (dir: string) => readdirSync(dir).sort();

function make(opts: Record<string, unknown>, clock = { t: T0 }) {
  return new FileSink(fileSink.options.parse({ format: 'parquet', ...opts }), { name: 'lake', log }, { now: () => clock.t, timer: false });
}

let db: { instance: DuckDBInstance; conn: DuckDBConnection } | null = null;
async function sql(q: string): Promise<Record<string, unknown>[]> {
  if (!db) {
    const instance = await DuckDBInstance.create(':memory:');
    db = { instance, conn: await instance.connect() };
  }
  return (await db.conn.runAndReadAll(q)).getRowObjectsJson() as Record<string, unknown>[];
}
after(() => {
  db?.conn.closeSync();
  db?.instance.closeSync();
});

const describe = async (f: string) => (await sql(`DESCRIBE SELECT * FROM read_parquet('${f}')`)).map((r) => `${r.column_name} ${r.column_type}`);

const ECS_COLUMNS = [
  'timestamp TIMESTAMP', 'tenant VARCHAR', 'id VARCHAR', 'event_kind VARCHAR', 'event_category VARCHAR[]', 'event_type VARCHAR[]',
  'event_action VARCHAR', 'event_outcome VARCHAR', 'event_dataset VARCHAR', 'host_name VARCHAR', 'user_name VARCHAR', 'source_ip VARCHAR',
  'destination_ip VARCHAR', 'message VARCHAR', 'event_original VARCHAR', 'requirements VARCHAR[]', 'doc VARCHAR',
];
const OCSF_COLUMNS = [
  'time_dt TIMESTAMP', 'time BIGINT', 'tenant VARCHAR', 'id VARCHAR', 'class_uid INTEGER', 'class_name VARCHAR', 'category_uid INTEGER',
  'activity_id INTEGER', 'activity_name VARCHAR', 'type_uid BIGINT', 'severity_id INTEGER', 'status_id INTEGER', 'user_name VARCHAR',
  'actor_user_name VARCHAR', 'src_ip VARCHAR', 'dst_ip VARCHAR', 'requirements VARCHAR[]', 'metadata VARCHAR', 'raw_data VARCHAR', 'record VARCHAR',
];

test('ECS Parquet: staged while open, one zstd file on close, the fixed columns, the values', async () => {
  const dir = tmp();
  const s = make({ path: dir });
  await s.send(SSHD.slice(0, 20));
  await s.send(SSHD.slice(20));
  assert.deepEqual(files(dir), ['.vigil-lake-20261123T080000-000000.ecs.staging.ndjson'], 'only a hidden staging file while open');
  await s.close();
  assert.deepEqual(files(dir), ['vigil-lake-20261123T080000-000000.parquet']);
  const f = join(dir, files(dir)[0]!);
  assert.deepEqual(await describe(f), ECS_COLUMNS);
  const rows = await sql(`SELECT * FROM read_parquet('${f}')`);
  assert.equal(rows.length, SSHD.length);
  assert.deepEqual(rows.map((r) => r.id), SSHD.map((e) => e.id), 'in order');
  const login = rows[2]!;
  assert.equal(login.timestamp, '2026-11-23 08:01:01');
  assert.equal(login.tenant, 'acme');
  assert.deepEqual(login.event_category, ['authentication', 'session']);
  assert.deepEqual(login.event_type, ['start']);
  assert.equal(login.event_action, 'ssh_login');
  assert.equal(login.event_outcome, 'success');
  assert.equal(login.user_name, 'alice');
  assert.equal(login.source_ip, '192.0.2.10');
  assert.equal(login.host_name, 'bastion1');
  assert.deepEqual(login.requirements, ['B2.2']);
  assert.equal(login.destination_ip, null);
  assert.deepEqual(JSON.parse(login.doc as string), jsonDocument(SSHD[2]!));
  const meta = await sql(`SELECT DISTINCT compression FROM parquet_metadata('${f}')`);
  assert.deepEqual(meta, [{ compression: 'ZSTD' }]);
  const [{ n }] = (await sql(`SELECT count(*) AS n FROM read_parquet('${f}') WHERE epoch_ms("timestamp") <> 0`)) as [{ n: string }];
  assert.equal(Number(n), SSHD.length);
});

test('the same columns in every file, even when no event has a column\'s field', async () => {
  const dir = tmp();
  const s = make({ path: dir });
  await s.send([{ tenant: 'acme', id: '1', doc: { '@timestamp': '2026-11-23T08:00:00.000Z', message: 'bare' } }]);
  await s.close();
  const f = join(dir, files(dir)[0]!);
  assert.deepEqual(await describe(f), ECS_COLUMNS);
  const [row] = await sql(`SELECT * FROM read_parquet('${f}')`);
  assert.equal(row!.message, 'bare');
  assert.equal(row!.event_category, null);
});

test('OCSF Parquet, snappy: the fixed columns; class, activity and record from the mapping', async () => {
  const dir = tmp();
  const s = make({ path: dir, schema: 'ocsf', compression: 'snappy' });
  const dhcp = out(golden('isc-dhcpd', 'dhcpd'), 100);
  await s.send([...SSHD.slice(0, 5), ...dhcp]);
  await s.close();
  const f = join(dir, files(dir)[0]!);
  assert.match(files(dir)[0]!, /^vigil-lake-20261123T080000-000000\.parquet$/);
  assert.deepEqual(await describe(f), OCSF_COLUMNS);
  assert.deepEqual(await sql(`SELECT DISTINCT compression FROM parquet_metadata('${f}')`), [{ compression: 'SNAPPY' }]);
  const rows = await sql(`SELECT * FROM read_parquet('${f}') ORDER BY id`);
  const login = rows[2]!;
  assert.equal(login.class_uid, 3002);
  assert.equal(login.class_name, 'Authentication');
  assert.equal(login.category_uid, 3);
  assert.equal(login.activity_id, 1);
  assert.equal(login.type_uid, '300201');
  assert.equal(login.status_id, 1);
  assert.equal(login.severity_id, 1);
  assert.equal(login.user_name, 'alice');
  assert.equal(login.src_ip, '192.0.2.10');
  assert.equal(login.time, String(Date.parse('2026-11-23T08:01:01.000Z')));
  assert.equal(login.time_dt, '2026-11-23 08:01:01');
  assert.equal(JSON.parse(login.metadata as string).uid, '5002');
  assert.equal(login.raw_data, (SSHD[2]!.doc.event as EcsDoc).original);
  assert.equal(JSON.parse(login.record as string).class_uid, 3002);
  const ack = rows.find((r) => r.class_uid === 4004 && r.activity_id === 5)!;
  assert.ok(ack, 'a DHCP ack');
  assert.deepEqual(ack.requirements, ['B7.1']);
});

test('rotation by interval gives one Parquet file per period', async () => {
  const dir = tmp();
  const clock = { t: T0 };
  const s = make({ path: dir, rotate: { interval: '1h' } }, clock);
  await s.send(SSHD.slice(0, 10));
  clock.t += 3_600_000;
  await s.tick();
  await s.send(SSHD.slice(10, 15));
  await s.close();
  assert.deepEqual(files(dir), ['vigil-lake-20261123T080000-000000.parquet', 'vigil-lake-20261123T090000-000001.parquet']);
  const counts = await sql(`SELECT filename, count(*) AS n FROM read_parquet('${dir}/*.parquet', filename=true) GROUP BY ALL ORDER BY filename`);
  assert.deepEqual(counts.map((c) => Number(c.n)), [10, 5]);
});

test('crash recovery: a staging file (torn last row) is converted on start; a half-written .parquet.part is dropped', async () => {
  const dir = tmp();
  const staged = SSHD.slice(0, 4).map((e) => JSON.stringify(ECS_PARQUET.row(e)) + '\n').join('');
  writeFileSync(join(dir, '.vigil-lake-20261123T060000-000003.ecs.staging.ndjson'), staged + '{"timestamp":17954');
  writeFileSync(join(dir, 'vigil-lake-20261123T060000-000003.parquet.part'), 'PAR1 half');
  // A staging file whose Parquet file was already written: the crash came before it was deleted.
  writeFileSync(join(dir, 'vigil-lake-20261123T050000-000002.parquet'), readFileSync(await oneParquet()));
  writeFileSync(join(dir, '.vigil-lake-20261123T050000-000002.ecs.staging.ndjson'), staged);
  const s = make({ path: dir });
  await s.tick();
  assert.deepEqual(files(dir), ['vigil-lake-20261123T050000-000002.parquet', 'vigil-lake-20261123T060000-000003.parquet']);
  const rows = await sql(`SELECT id, user_name FROM read_parquet('${join(dir, 'vigil-lake-20261123T060000-000003.parquet')}')`);
  assert.deepEqual(rows.map((r) => r.id), ['5000', '5001', '5002', '5003']);
  await s.send(SSHD.slice(4, 6));
  await s.close();
  assert.equal(files(dir).at(-1), 'vigil-lake-20261123T080000-000004.parquet');
});

async function oneParquet(): Promise<string> {
  const dir = tmp();
  const s = make({ path: dir });
  await s.send(SSHD.slice(0, 1));
  await s.close();
  return join(dir, files(dir)[0]!);
}
