// Tenant isolation and authentication on every read path: a tenant's tokens never see another
// tenant's data, whatever the query says; scopes are enforced; no token means 401.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startVigil, api, searchUntil, type VigilProcess } from '../helpers/server.js';
import { twoTenantConfig, TOKENS } from '../helpers/tenants.js';

describe('tenant isolation', () => {
  let v: VigilProcess;
  before(async () => {
    v = await startVigil({ configPath: twoTenantConfig().path });
    const acme = ['acme secret one', 'acme secret two'].map((m) => JSON.stringify({ message: m, 'user.name': 'shared-user', 'event.category': 'authentication' })).join('\n');
    const globex = ['globex secret one', 'globex secret two', 'globex secret three'].map((m) => JSON.stringify({ message: m, 'user.name': 'shared-user', 'event.category': 'authentication' })).join('\n');
    assert.equal((await api(v, TOKENS.acme.ingest, 'POST', '/api/v1/events', acme, { 'content-type': 'application/x-ndjson' })).status, 200);
    assert.equal((await api(v, TOKENS.globex.ingest, 'POST', '/api/v1/events', globex, { 'content-type': 'application/x-ndjson' })).status, 200);
    await searchUntil(v, TOKENS.acme.read, { q: 'secret' }, (r) => r.total === 2);
    await searchUntil(v, TOKENS.globex.read, { q: 'secret' }, (r) => r.total === 3);
  });
  after(async () => v?.stop());

  test('search hits: a read token sees its own tenant only, whatever the query names', async () => {
    for (const q of ['secret', '*', '', 'user.name:shared-user', 'globex', 'vigil.tenant:globex', 'tenant:globex', 'not acme']) {
      const r = await api(v, TOKENS.acme.read, 'GET', `/api/v1/search?q=${encodeURIComponent(q)}&from=-1d`);
      assert.equal(r.status, 200, `${q}: ${r.text}`);
      for (const h of r.json.hits) {
        assert.equal(h.vigil.tenant, 'acme', `query ${JSON.stringify(q)} leaked ${JSON.stringify(h)}`);
        assert.doesNotMatch(h.event.original ?? h.message ?? '', /globex/);
      }
    }
  });

  test('search stats: aggregates count only the token\'s tenant', async () => {
    const r = await api(v, TOKENS.acme.read, 'GET', `/api/v1/search?q=${encodeURIComponent('user.name:shared-user | stats count() by user.name')}&from=-1d`);
    assert.equal(r.status, 200, r.text);
    const countIdx = r.json.columns.indexOf('count()');
    assert.equal(r.json.rows[0][countIdx], 2);
  });

  test('naming another tenant is 403 for read tokens, allowed for admin tokens', async () => {
    const r = await api(v, TOKENS.acme.read, 'GET', '/api/v1/search?q=*&tenant=globex');
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, 'forbidden');
    const g = await api(v, TOKENS.globex.read, 'GET', '/api/v1/search?q=*&tenant=acme');
    assert.equal(g.status, 403);
    const admin = await api(v, TOKENS.acme.admin, 'GET', '/api/v1/search?q=secret&tenant=globex&from=-1d');
    assert.equal(admin.status, 200);
    assert.equal(admin.json.total, 3);
    const missing = await api(v, TOKENS.acme.admin, 'GET', '/api/v1/search?q=*&tenant=nosuch');
    assert.equal(missing.status, 404);
  });

  test('tenant list: a read token lists its own tenant only', async () => {
    const r = await api(v, TOKENS.globex.read, 'GET', '/api/v1/tenants');
    assert.deepEqual(r.json.tenants.map((t: any) => t.name), ['globex']);
    const admin = await api(v, v.adminToken, 'GET', '/api/v1/tenants');
    assert.ok(admin.json.tenants.map((t: any) => t.name).includes('acme'));
  });

  test('admin-only paths refuse read and ingest tokens', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/tokens'],
      ['POST', '/api/v1/tokens'],
      ['POST', '/api/v1/tenants'],
      ['GET', '/metrics'],
      ['DELETE', '/api/v1/tokens/tok_000000000000'],
    ] as const) {
      for (const tok of [TOKENS.acme.read, TOKENS.acme.ingest]) {
        const r = await api(v, tok, method, path, method === 'POST' ? {} : undefined);
        assert.equal(r.status, 403, `${method} ${path}`);
      }
    }
  });

  test('scopes: ingest tokens cannot read, read tokens cannot ingest, ingest cannot target another tenant', async () => {
    assert.equal((await api(v, TOKENS.acme.ingest, 'GET', '/api/v1/search?q=*')).status, 403);
    assert.equal((await api(v, TOKENS.acme.read, 'POST', '/api/v1/events', 'x')).status, 403);
    assert.equal((await api(v, TOKENS.acme.ingest, 'POST', '/api/v1/events?tenant=globex', 'x')).status, 403);
  });

  test('no token or a wrong token is 401 on every authenticated endpoint', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/search?q=*'],
      ['POST', '/api/v1/events'],
      ['GET', '/api/v1/tenants'],
      ['GET', '/api/v1/tokens'],
      ['GET', '/metrics'],
    ] as const) {
      assert.equal((await api(v, null, method, path)).status, 401, `${method} ${path} without token`);
      assert.equal((await api(v, 'not-a-real-token-xyz', method, path)).status, 401, `${method} ${path} bad token`);
      const basic = await api(v, null, method, path, undefined, { authorization: `Basic ${Buffer.from('x:' + TOKENS.acme.read).toString('base64')}` });
      assert.equal(basic.status, 401, 'only Bearer is accepted on the API');
    }
  });

  test('/healthz answers without a token and reveals only status', async () => {
    const r = await api(v, null, 'GET', '/healthz');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { status: 'ok' });
  });
});
