// POST /api/v1/events and GET /api/v1/search against the real server: body shapes, limits, errors,
// unparsed lines, the query language over HTTP, and the audit trail in _platform.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startVigil, api, postDeclaringLength, searchUntil, type VigilProcess } from '../helpers/server.js';
import { twoTenantConfig, TOKENS } from '../helpers/tenants.js';

describe('HTTP ingest and search', () => {
  let v: VigilProcess;
  before(async () => {
    v = await startVigil({ configPath: twoTenantConfig().path });
  });
  after(async () => v?.stop());

  test('NDJSON, a JSON array and text lines are accepted only with a count, then searchable', async () => {
    const ndjson = [
      { '@timestamp': new Date().toISOString(), 'event.category': ['authentication'], 'event.outcome': 'failure', 'user.name': 'alice', 'source.ip': '10.1.2.3', message: 'nd one' },
      { '@timestamp': new Date().toISOString(), event: { category: ['authentication'], outcome: 'success' }, user: { name: 'bob' }, source: { ip: '192.168.7.9' }, message: 'nd two' },
    ]
      .map((o) => JSON.stringify(o))
      .join('\n');
    const r1 = await api(v, TOKENS.acme.ingest, 'POST', '/api/v1/events', ndjson, { 'content-type': 'application/x-ndjson' });
    assert.equal(r1.status, 200, r1.text);
    assert.deepEqual(r1.json, { accepted: 2 });

    const arr = [{ message: 'array one', 'user.name': 'carol', 'event.category': 'network' }, 'array text line'];
    const r2 = await api(v, TOKENS.acme.ingest, 'POST', '/api/v1/events', JSON.stringify(arr), { 'content-type': 'application/json' });
    assert.deepEqual(r2.json, { accepted: 2 });

    const text = 'first plain line zebra\r\n\r\nsecond plain line zebra\n';
    const r3 = await api(v, TOKENS.acme.ingest, 'POST', '/api/v1/events', text);
    assert.deepEqual(r3.json, { accepted: 2 });

    const all = await searchUntil(v, TOKENS.acme.read, { q: '' }, (r) => r.total === 6);
    assert.equal(all.hits.length, 6);

    const alice = await searchUntil(v, TOKENS.acme.read, { q: 'user.name:alice' }, (r) => r.total === 1);
    assert.equal(alice.hits[0].source.ip, '10.1.2.3');
    assert.equal(alice.hits[0].event.outcome, 'failure');
    assert.equal(alice.hits[0].vigil.parse.status, 'parsed');

    const cidr = await searchUntil(v, TOKENS.acme.read, { q: 'source.ip:10.0.0.0/8' }, () => true);
    assert.deepEqual(cidr.hits.map((h: any) => h.user.name), ['alice']);

    const zebra = await searchUntil(v, TOKENS.acme.read, { q: 'zebra' }, () => true);
    assert.equal(zebra.total, 2);
    for (const h of zebra.hits) {
      assert.equal(h.vigil.parse.status, 'unparsed', 'plain text no parser knows is kept, flagged');
      assert.match(h.event.original, /plain line zebra$/);
      assert.equal(h.event.kind, 'event');
    }

    const stats = await searchUntil(v, TOKENS.acme.read, { q: 'event.category:authentication | stats count() by event.outcome | sort event.outcome' }, () => true);
    assert.deepEqual(stats.rows, [
      [1, 'failure'],
      [1, 'success'],
    ].map((r) => (stats.columns[0] === 'count()' ? r : [r[1], r[0]])));
  });

  test('invalid JSON in an NDJSON body is stored raw and flagged malformed, not dropped', async () => {
    const body = '{"message":"good one","user.name":"dave"}\n{not json at all quokka\n';
    const r = await api(v, TOKENS.acme.ingest, 'POST', '/api/v1/events', body, { 'content-type': 'application/x-ndjson' });
    assert.deepEqual(r.json, { accepted: 2 });
    const bad = await searchUntil(v, TOKENS.acme.read, { q: 'quokka' }, (x) => x.total === 1);
    assert.equal(bad.hits[0].vigil.parse.status, 'malformed');
    assert.equal(bad.hits[0].event.original, '{not json at all quokka');
  });

  test('limits: a line over max_line_bytes and a body over body_limit_bytes get 413 with a JSON error', async () => {
    const long = 'x'.repeat(1024 * 1024 + 10);
    const r = await api(v, TOKENS.acme.ingest, 'POST', '/api/v1/events', `ok line\n${long}\n`);
    assert.equal(r.status, 413);
    assert.equal(r.json.error.code, 'line_too_long');
    assert.equal(r.json.error.line, 2);
    const big = await postDeclaringLength(v, TOKENS.acme.ingest, '/api/v1/events', 17 * 1024 * 1024);
    assert.equal(big.status, 413);
    assert.equal(big.json.error.code, 'payload_too_large');
  });

  test('bad requests get precise errors', async () => {
    const syntax = await api(v, TOKENS.acme.read, 'GET', '/api/v1/search?q=' + encodeURIComponent('user.name:'));
    assert.equal(syntax.status, 400);
    assert.equal(syntax.json.error.code, 'query_syntax');
    assert.equal(typeof syntax.json.error.position, 'number');
    const badTime = await api(v, TOKENS.acme.read, 'GET', '/api/v1/search?q=*&from=yesterday-ish');
    assert.equal(badTime.status, 400);
    assert.equal(badTime.json.error.code, 'bad_time');
    const badLimit = await api(v, TOKENS.acme.read, 'GET', '/api/v1/search?q=*&limit=-3');
    assert.equal(badLimit.status, 400);
    assert.equal(badLimit.json.error.parameter, 'limit');
    const badSource = await api(v, TOKENS.acme.ingest, 'POST', '/api/v1/events?source=nope', 'x');
    assert.equal(badSource.status, 400);
    assert.match(badSource.json.error.message, /unknown parser "nope"/);
    const arr = await api(v, TOKENS.acme.ingest, 'POST', '/api/v1/events', '[{"a":1},', { 'content-type': 'application/json' });
    assert.equal(arr.status, 400);
    const unknown = await api(v, TOKENS.acme.read, 'GET', '/api/v1/nothing-here');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.code, 'not_found');
  });

  test('the query pipes: fields, sort, head', async () => {
    const lines = ['amber', 'brick', 'coral', 'denim'].map((u, i) => JSON.stringify({ 'user.name': u, 'source.port': 1000 + i, message: `pipe test ${u}` })).join('\n');
    await api(v, TOKENS.acme.ingest, 'POST', '/api/v1/events', lines, { 'content-type': 'application/x-ndjson' });
    const r = await searchUntil(v, TOKENS.acme.read, { q: '"pipe test" and source.port >= 1001 | sort -source.port | head 2 | fields user.name, source.port' }, (x) => x.hits?.length === 2);
    assert.deepEqual(r.hits.map((h: any) => [h.user.name, h.source.port]), [['denim', 1003], ['coral', 1002]]);
    assert.equal(r.hits[0].message, undefined, 'fields projects the documents');
  });

  test('Vigil audits its own authentication and admin actions into _platform, readable by admins only', async () => {
    await api(v, 'wrong-token-000000000', 'GET', '/api/v1/search?q=*');
    const created = await api(v, v.adminToken, 'POST', '/api/v1/tokens', { tenant: 'globex', scope: 'read' });
    assert.equal(created.status, 201);
    assert.match(created.json.token, /^vgl_/);
    const failures = await searchUntil(
      v,
      v.adminToken,
      { tenant: '_platform', q: 'event.category:authentication and event.outcome:failure' },
      (r) => r.total >= 1,
    );
    assert.equal(failures.hits[0].event.action, 'api-token-authentication');
    assert.equal(failures.hits[0].source.ip, '127.0.0.1');
    const admin = await searchUntil(v, v.adminToken, { tenant: '_platform', q: 'event.action:token-create' }, (r) => r.total >= 1);
    assert.equal(admin.hits[0].vigil.target.tenant, 'globex');
    assert.equal(admin.hits[0].event.outcome, 'success');
    const forbidden = await api(v, TOKENS.acme.read, 'GET', '/api/v1/search?tenant=_platform&q=*');
    assert.equal(forbidden.status, 403);
  });
});

describe('metrics', () => {
  let v: VigilProcess;
  before(async () => {
    v = await startVigil({ configPath: twoTenantConfig().path });
  });
  after(async () => v?.stop());

  test('/metrics counts received, stored and unparsed events per tenant and input', async () => {
    const body = 'metric line one\nmetric line two\n{"message":"json","user.name":"m"}\n';
    assert.equal((await api(v, TOKENS.acme.ingest, 'POST', '/api/v1/events', body)).status, 200);
    await searchUntil(v, TOKENS.acme.read, { q: 'metric or user.name:m' }, (r) => r.total === 3);
    const m = (await api(v, v.adminToken, 'GET', '/metrics')).text;
    assert.match(m, /^vigil_events_received_total\{tenant="acme",input="http"\} 3$/m);
    assert.match(m, /^vigil_events_stored_total\{tenant="acme"\} 3$/m);
    assert.match(m, /^vigil_events_unparsed_total\{tenant="acme",input="http",status="unparsed"\} 2$/m);
    assert.match(m, /^vigil_queue_lag_bytes 0$/m);
    assert.match(m, /^vigil_wal_bytes \d+$/m);
    assert.match(m, /^vigil_wal_fsync_seconds_count \d+$/m);
    assert.match(m, /^vigil_store_batch_seconds_count \d+$/m);
  });
});
