// The Loki push input through the real server, as Promtail or Alloy sends (snappy protobuf) and as Fluent
// Bit sends (JSON, gzip): an auth.log sshd line pushed with Promtail's labels is parsed by the sshd parser
// and searchable by its labels and host; X-Scope-OrgID picks the tenant only as the token allows.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { startVigil, searchUntil, type VigilProcess } from '../helpers/server.js';
import { twoTenantConfig, TOKENS } from '../helpers/tenants.js';
import { encodeProtobufPush } from '../../src/wire/loki-push.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An auth.log line written now (its syslog header has no year and no zone: UTC here). */
function authLogLine(now: Date, text: string): string {
  const day = String(now.getUTCDate()).padStart(2, ' ');
  return `${MONTHS[now.getUTCMonth()]} ${day} ${now.toISOString().slice(11, 19)} bastion1 ${text}`;
}

describe('Loki push input', () => {
  let v: VigilProcess;
  before(async () => {
    v = await startVigil({ configPath: twoTenantConfig().path });
  });
  after(async () => v?.stop());

  const push = (body: Buffer | string, headers: Record<string, string>) => fetch(`${v.url}/loki/api/v1/push`, { method: 'POST', headers, body });

  test('Promtail: a snappy protobuf push of an sshd line is parsed by the sshd parser, searchable by labels.job and host.name', async () => {
    const now = new Date();
    const line = authLogLine(now, 'sshd[4242]: Failed password for lokiuser from 198.51.100.77 port 50022 ssh2');
    const labels = Object.assign(Object.create(null), { job: 'varlogs', host: 'bastion1', filename: '/var/log/auth.log' });
    const ns = BigInt(now.getTime()) * 1_000_000n + 123n;
    const body = await encodeProtobufPush([{ labels, entries: [{ ns, line }] }]);
    const r = await push(body, { 'content-type': 'application/x-protobuf', authorization: `Bearer ${TOKENS.acme.ingest}` });
    assert.equal(r.status, 204, await r.text());

    const found = await searchUntil(v, TOKENS.acme.read, { q: 'labels.job:varlogs host.name:bastion1', from: '2000-01-01T00:00:00Z' }, (x) => x.total === 1);
    const hit = found.hits[0];
    assert.equal(hit.vigil.parse.parser, 'sshd', 'the line is parsed by the sshd parser');
    assert.equal(hit.user.name, 'lokiuser');
    assert.equal(hit.source.ip, '198.51.100.77');
    assert.equal(hit.event.original, line, 'the line exactly as pushed is the original');
    assert.equal(hit.host.name, 'bastion1');
    assert.deepEqual(hit.labels, { job: 'varlogs', host: 'bastion1', filename: '/var/log/auth.log' });
    assert.equal(hit.log.file.path, '/var/log/auth.log');
    assert.equal(hit.loki.timestamp_ns, ns.toString());
    assert.equal(hit.vigil.input, 'loki');
    const byUser = await searchUntil(v, TOKENS.acme.read, { q: 'user.name:lokiuser', from: '2000-01-01T00:00:00Z' }, (x) => x.total === 1);
    assert.equal(byUser.hits[0].labels.job, 'varlogs');
  });

  test('Fluent Bit: JSON with gzip; a line no parser knows keeps the entry time and its labels', async () => {
    const ns = 1795420801500000000n; // 2026-11-23T08:00:01.500Z
    const body = JSON.stringify({ streams: [{ stream: { job: 'fluentbit', hostname: 'fb-node-1' }, values: [[ns.toString(), 'loki fluent-bit free form marker', { trace_id: 'tr-77' }]] }] });
    const r = await push(gzipSync(body), { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Basic ${Buffer.from(`fb:${TOKENS.acme.ingest}`).toString('base64')}` });
    assert.equal(r.status, 204, await r.text());
    const found = await searchUntil(v, TOKENS.acme.read, { q: 'labels.job:fluentbit', from: '2000-01-01T00:00:00Z' }, (x) => x.total === 1);
    const hit = found.hits[0];
    assert.equal(hit['@timestamp'], '2026-11-23T08:00:01.500Z');
    assert.equal(hit.host.name, 'fb-node-1');
    assert.equal(hit.labels.trace_id, 'tr-77');
    assert.equal(hit.message, 'loki fluent-bit free form marker');
  });

  test("X-Scope-OrgID: another tenant's is 403 for an ingest token, allowed for an admin token; no token 401", async () => {
    const body = JSON.stringify({ streams: [{ stream: { job: 'orgid-test' }, values: [[`${Date.now()}000000`, 'pushed to globex by an admin']] }] });
    const denied = await push(body, { 'content-type': 'application/json', authorization: `Bearer ${TOKENS.acme.ingest}`, 'x-scope-orgid': 'globex' });
    assert.equal(denied.status, 403);
    assert.equal(((await denied.json()) as any).error.code, 'forbidden');
    const none = await push(body, { 'content-type': 'application/json', 'x-scope-orgid': 'acme' });
    assert.equal(none.status, 401);
    const admin = await push(body, { 'content-type': 'application/json', authorization: `Bearer ${TOKENS.acme.admin}`, 'x-scope-orgid': 'globex' });
    assert.equal(admin.status, 204);
    await searchUntil(v, TOKENS.globex.read, { q: 'labels.job:orgid-test', from: '-1h' }, (x) => x.total === 1);
    const acme = await searchUntil(v, TOKENS.acme.read, { q: 'labels.job:orgid-test', from: '-1h' }, () => true);
    assert.equal(acme.total, 0, 'not in the admin token\'s own tenant');
  });

  test('malformed labels are a 400 that names the problem; /ready is public', async () => {
    const body = JSON.stringify({ streams: [{ labels: '{job=varlogs}', entries: [] }] });
    const r = await fetch(`${v.url}/api/prom/push`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS.acme.ingest}` }, body });
    assert.equal(r.status, 400);
    const err = ((await r.json()) as any).error;
    assert.equal(err.code, 'bad_request');
    assert.match(err.message, /streams\[0\]\.labels: invalid stream labels "\{job=varlogs\}": expected a quoted value for label "job"/);
    assert.equal((await fetch(`${v.url}/ready`)).status, 200);
  });
});
