// The Elasticsearch-compatible input through the real server, as Winlogbeat 8 would use it: probe,
// bulk with ApiKey auth and gzip, then the events are stored, parsed by the Windows parser, classified
// and searchable with the index they were sent to.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { startVigil, api, searchUntil, ROOT, type VigilProcess } from '../helpers/server.js';
import { twoTenantConfig, TOKENS } from '../helpers/tenants.js';

describe('Elasticsearch bulk input', () => {
  let v: VigilProcess;
  before(async () => {
    v = await startVigil({ configPath: twoTenantConfig().path });
  });
  after(async () => v?.stop());

  const apiKey = (token: string) => 'ApiKey ' + Buffer.from(`winlogbeat:${token}`).toString('base64');

  test('GET / answers as Elasticsearch 8, with the product header', async () => {
    const r = await fetch(v.url + '/', { headers: { authorization: apiKey(TOKENS.acme.ingest) } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-elastic-product'), 'Elasticsearch');
    const body: any = await r.json();
    assert.match(body.version.number, /^8\./);
    assert.equal((await fetch(v.url + '/', { headers: { authorization: apiKey('nope-0123456789abcdef') } })).status, 401);
  });

  test('a gzipped bulk of Winlogbeat events is stored, parsed, classified and searchable', async () => {
    const docs = readFileSync(join(ROOT, 'src/process/parsers/windows/fixtures/security-logon-winlogbeat.ndjson'), 'utf8').split('\n').filter((l) => l.trim());
    const body = docs.map((d) => `{"create":{"_index":"winlogbeat-8.17.0"}}\n${d}\n`).join('');
    const r = await fetch(v.url + '/_bulk?filter_path=errors,items.*.error,items.*.status', {
      method: 'POST',
      headers: { authorization: apiKey(TOKENS.acme.ingest), 'content-type': 'application/json', 'content-encoding': 'gzip', 'user-agent': 'Elastic-winlogbeat/8.17.0' },
      body: gzipSync(body),
    });
    assert.equal(r.status, 200, await r.clone().text());
    const out: any = await r.json();
    assert.equal(out.errors, false);
    assert.equal(out.items.length, docs.length);
    assert.ok(out.items.every((i: any) => i.create.status === 201));
    const found = await searchUntil(v, TOKENS.acme.read, { q: 'vigil.es.index:"winlogbeat-8.17.0"', from: '2000-01-01T00:00:00Z', limit: '100' }, (x) => x.total === docs.length);
    const failures = found.hits.filter((h: any) => h.event?.outcome === 'failure');
    assert.ok(failures.length > 0);
    assert.ok(failures.every((h: any) => h.vigil.parse.parser === 'windows' && h.vigil.requirements.includes('B1.4')), JSON.stringify(failures[0]?.vigil));
    assert.equal(found.hits[0].vigil.input, 'elasticsearch');
    // Another tenant's read token sees none of it.
    const other = await api(v, TOKENS.globex.read, 'GET', `/api/v1/search?q=${encodeURIComponent('vigil.es.index:*')}&from=2000-01-01T00:00:00Z`);
    assert.equal(other.json.total, 0);
  });
});
