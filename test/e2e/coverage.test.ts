// Coverage end to end: a hosting platform and two tenants hosted on it, fed the parsers' own fixture
// files through the real server. The expected counts and field shares are worked out independently,
// in process, from the same files (parser + classifier, then a plain count); the statuses, inheritance,
// not-applicable entries, a silent source and the platform's view are asserted exactly, through the
// API and through the CLI.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startVigil, api, searchUntil, writeConfig, tempDir, ROOT, type VigilProcess } from '../helpers/server.js';
import { getPath, type EcsDoc } from '../../src/core/event.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { Classifier } from '../../src/process/classify.js';
import { processEntry } from '../../src/process/pipeline.js';
import { ParserRegistry } from '../../src/process/parsers/registry.js';
import { present } from '../../src/ql/predicate.js';

const FIX = join(ROOT, 'src/process/parsers');
const T = {
  cloud: { read: 'cloud-read-0123456789ab', ingest: 'cloud-ingest-0123456789' },
  acme: { read: 'acme-read-0123456789ab', ingest: 'acme-ingest-0123456789' },
  globex: { read: 'globex-read-0123456789', ingest: 'globex-ingest-0123456789' },
};

// What each tenant sends, in order: real fixture files of the parsers.
const FEEDS: Record<string, string[]> = {
  cloud: ['vsphere/fixtures/vcenter-events.log', 'kubernetes-audit/fixtures/audit.ndjson'],
  acme: ['sshd/fixtures/sshd.log', 'bind/fixtures/queries-file.log', 'isc-dhcpd/fixtures/dhcpd.log', 'squid/fixtures/native.log'],
  globex: ['windows/fixtures/security-accounts-nxlog.ndjson', 'windows/fixtures/security-logon-winlogbeat.ndjson'],
};

function config(): string {
  return writeConfig(`http:
  listen: 127.0.0.1:0
sources:
  check_interval: 1s
  min_silence: 1s
  expect:
    - { tenant: acme, parser: squid, within: 3s }
tenants:
  - name: cloud
    kind: platform
    provides: [P3a, P3b, P5a, B5, B6]
    tokens:
      - { secret: "${T.cloud.read}", scope: read }
      - { secret: "${T.cloud.ingest}", scope: ingest }
  - name: acme
    hosted_on: cloud
    not_applicable:
      - { id: E6, reason: "no mobile device management in use" }
      - { id: B1.10, reason: "no MFA: directory is local accounts only" }
    tokens:
      - { secret: "${T.acme.read}", scope: read }
      - { secret: "${T.acme.ingest}", scope: ingest }
  - name: globex
    hosted_on: cloud
    tokens:
      - { secret: "${T.globex.read}", scope: read }
      - { secret: "${T.globex.ingest}", scope: ingest }
`).path;
}

/** The oracle: the same files through parser and classifier in process; per id, events and field shares. */
function expected(tenant: string): Map<string, { events: number; fields: Record<string, number> }> {
  const catalog = loadCatalog();
  const classifier = new Classifier(catalog);
  const registry = new ParserRegistry();
  const docs: EcsDoc[] = [];
  for (const f of FEEDS[tenant]!) {
    const records = readFileSync(join(FIX, f), 'utf8').split('\n').filter((l) => l.trim()).map((l) => Buffer.from(l));
    const codec = f.endsWith('.ndjson') ? 'json' : 'text';
    const out = processEntry({ offset: 0, size: 0, entry: { meta: { tenant, input: 'http', codec, received: Date.now() }, records } }, { registry, classifier });
    docs.push(...out.map((e) => e.doc));
  }
  const m = new Map<string, { events: number; fields: Record<string, number> }>();
  for (const e of catalog.leaves()) {
    const tagged = e.allEvents ? docs : docs.filter((d) => ((getPath(d, e.kind === 'principle' ? 'vigil.principles' : 'vigil.requirements') as string[] | undefined) ?? []).includes(e.id));
    const fields: Record<string, number> = {};
    for (const f of e.fields) {
      const n = tagged.filter((d) => f.paths.some((p) => present(getPath(d, p)))).length;
      fields[f.name] = tagged.length ? Math.round((n / tagged.length) * 1000) / 1000 : 0;
    }
    m.set(e.id, { events: tagged.length, fields });
  }
  return m;
}

function vigil(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const WINDOW = `from=${encodeURIComponent('2000-01-01T00:00:00Z')}&to=now%2B1d`;

describe('coverage: a platform, two hosted tenants, not-applicable entries and a silent source', () => {
  let v: VigilProcess;
  const sent: Record<string, number> = {};
  before(async () => {
    v = await startVigil({ configPath: config() });
    for (const [tenant, files] of Object.entries(FEEDS)) {
      sent[tenant] = 0;
      for (const f of files) {
        const body = readFileSync(join(FIX, f), 'utf8');
        const ct = f.endsWith('.ndjson') ? 'application/x-ndjson' : 'text/plain';
        const r = await api(v, T[tenant as keyof typeof T].ingest, 'POST', '/api/v1/events', body, { 'content-type': ct });
        assert.equal(r.status, 200, r.text);
        sent[tenant] += r.json.accepted;
      }
    }
    for (const t of Object.keys(FEEDS)) {
      await searchUntil(v, T[t as keyof typeof T].read, { q: 'not event.action:source-silent', from: '2000-01-01T00:00:00Z', limit: '0' }, (r) => r.total >= sent[t]!, 30_000);
    }
  });
  after(async () => v?.stop());

  const coverage = async (token: string, query = '') => {
    const r = await api(v, token, 'GET', `/api/v1/coverage?${WINDOW}${query}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const byId = (rows: any[]) => new Map(rows.map((r: any) => [r.id, r]));

  test('every requirement and principle: counts and field completeness equal the in-process oracle', async () => {
    for (const tenant of ['acme', 'globex', 'cloud'] as const) {
      const want = expected(tenant);
      const got = await coverage(T[tenant].read);
      assert.equal(got.tenant, tenant);
      for (const row of [...got.requirements, ...got.principles]) {
        const w = want.get(row.id)!;
        assert.equal(row.events, w.events, `${tenant} ${row.id} events`);
        assert.deepEqual(row.fields, w.fields, `${tenant} ${row.id} fields`);
        if (w.events > 0) {
          assert.ok(row.sources.length > 0, `${tenant} ${row.id} has no sources`);
          assert.equal(row.sources.reduce((s: number, x: any) => s + x.events, 0), w.events, `${tenant} ${row.id} source counts`);
        }
      }
      // Enough evidence for the scenario to mean something.
      assert.ok([...want.values()].filter((x) => x.events > 0).length >= 8, `${tenant}: too little evidence`);
    }
  });

  test('statuses: own evidence, partial fields, inheritance from the platform, not applicable with its reason', async () => {
    const r = await coverage(T.acme.read, '&tier=baseline');
    assert.equal(r.hosted_on, 'cloud');
    const rows = byId(r.requirements);
    assert.ok(r.requirements.every((x: any) => x.tier === 'baseline'));
    // B3 from BIND's query log: events, but BIND's query lines carry no answers.
    const b3 = rows.get('B3');
    assert.equal(b3.status, 'partial');
    assert.ok(b3.events > 0);
    assert.ok(b3.missing_fields.includes('answers'), JSON.stringify(b3));
    assert.equal(b3.fields.client_ip, 1);
    assert.equal(b3.fields.query, 1);
    assert.deepEqual(b3.sources.map((s: any) => s.parser), ['bind']);
    // The platform provides B5 and B6: acme sent none of its own.
    for (const id of ['B5.1', 'B5.2', 'B5.3', 'B5.4.1', 'B6.1', 'B6.4']) {
      assert.equal(rows.get(id).status, 'inherited', id);
      assert.equal(rows.get(id).inherited_from, 'cloud', id);
      assert.equal(rows.get(id).events, 0, id);
    }
    // B1.10 declared not applicable as a group: every item, with the reason.
    for (const id of ['B1.10.1', 'B1.10.2', 'B1.10.3', 'B1.10.4']) {
      assert.equal(rows.get(id).status, 'not_applicable');
      assert.equal(rows.get(id).reason, 'no MFA: directory is local accounts only');
    }
    // sshd's failures and logins; DHCP leases with every field; nothing for B6.x of its own.
    assert.equal(rows.get('B1.4').status, 'met');
    assert.equal(rows.get('B2.2').status === 'met' || rows.get('B2.2').status === 'partial', true);
    assert.equal(rows.get('B7.1').events > 0, true);
    assert.equal(rows.get('B1.1').status, 'missing');
    assert.deepEqual(rows.get('B1.1').missing_fields, ['account']);
    // The summary counts exactly the rows.
    const count = (s: string) => r.requirements.filter((x: any) => x.status === s).length;
    for (const s of ['met', 'partial', 'missing', 'inherited', 'not_applicable']) assert.equal(r.summary[s], count(s), s);
    assert.equal(r.summary.inherited, 11, 'B5.1-B5.4.4 (7) and B6.1-B6.4 (4)');
    assert.equal(r.summary.not_applicable, 4);

    const enhanced = byId((await coverage(T.acme.read, '&tier=enhanced')).requirements);
    assert.equal(enhanced.get('E6').status, 'not_applicable');
    assert.equal(enhanced.get('E6').reason, 'no mobile device management in use');
    assert.equal(enhanced.get('E1').status, 'missing');
    assert.ok(enhanced.get('E1').text.includes('firewall DENY'));
  });

  test('own evidence beats inheritance, and both are shown', async () => {
    const cloud = await coverage(T.cloud.read);
    const rows = byId(cloud.requirements);
    // The platform itself is not hosted: its B5 evidence is its own.
    assert.equal(rows.get('B5.1').status, 'met');
    assert.equal(rows.get('B5.1').inherited_from, null);
    // globex sends nothing for B5; acme neither; so theirs is inherited (asserted above for acme).
    const globex = byId((await coverage(T.globex.read)).requirements);
    assert.equal(globex.get('B5.2').status, 'inherited');
    // A principle the platform provides and the tenant does not evidence is inherited; one it does
    // evidence through requirements is met via them.
    const principles = byId((await coverage(T.globex.read)).principles);
    assert.equal(principles.get('P5a').status, 'inherited');
    assert.equal(principles.get('P5a').inherited_from, 'cloud');
    assert.equal(principles.get('P1a').status, 'met');
    assert.equal(principles.get('P7a').status, 'met', 'every event evidences P7a');
    assert.equal(principles.get('P7a').events, sent.globex);
  });

  test("the platform's view lists its tenants and what each still owes, and nothing of their data", async () => {
    const cloud = await coverage(T.cloud.read, '&tier=baseline');
    assert.deepEqual(cloud.tenants.map((t: any) => t.name).sort(), ['acme', 'globex']);
    const acme = cloud.tenants.find((t: any) => t.name === 'acme');
    const owes = acme.owes.map((o: any) => o.id);
    assert.ok(owes.includes('B3') && owes.includes('B1.1'), owes.join(' '));
    for (const id of ['B5.1', 'B6.1', 'B1.10.1', 'B1.4']) assert.ok(!owes.includes(id), `acme should not owe ${id}`);
    const acmeOwn = await coverage(T.acme.read, '&tier=baseline');
    assert.deepEqual(acme.summary, acmeOwn.summary);
    assert.deepEqual(Object.keys(acme).sort(), ['name', 'owes', 'summary']);
    assert.doesNotMatch(JSON.stringify(cloud.tenants), /bind|squid|sshd|events/);
  });

  test('isolation: a tenant reads only its own coverage and sources', async () => {
    for (const path of ['/api/v1/coverage?tenant=globex', '/api/v1/sources?tenant=globex', '/api/v1/coverage?tenant=cloud', '/api/v1/sources?tenant=cloud']) {
      const r = await api(v, T.acme.read, 'GET', path);
      assert.equal(r.status, 403, path);
    }
    const mine = await coverage(T.acme.read);
    assert.equal(mine.tenants, undefined, 'a hosted tenant sees no siblings');
    const hosts = new Set(mine.requirements.flatMap((r: any) => r.sources.map((s: any) => s.parser)));
    for (const p of hosts) assert.ok(['sshd', 'bind', 'isc-dhcpd', 'squid'].includes(p as string), `acme shows a source of someone else: ${p}`);
    assert.equal((await api(v, null, 'GET', '/api/v1/coverage')).status, 401);
    assert.equal((await api(v, T.acme.ingest, 'GET', '/api/v1/coverage')).status, 403);
    assert.equal((await api(v, T.acme.read, 'GET', '/api/v1/catalog')).status, 200);
  });

  test('bad parameters get precise errors', async () => {
    const tier = await api(v, T.acme.read, 'GET', '/api/v1/coverage?tier=gold');
    assert.equal(tier.status, 400);
    assert.match(tier.json.error.message, /tier must be one of all, baseline, enhanced/);
    const time = await api(v, T.acme.read, 'GET', '/api/v1/coverage?from=yesterday');
    assert.equal(time.status, 400);
    const order = await api(v, T.acme.read, 'GET', '/api/v1/coverage?from=now&to=-1d');
    assert.equal(order.status, 400);
  });

  test('a source that stops sending raises an alert in its tenant and puts its requirement at risk', async () => {
    // squid is expected within 3 s; it sent once, at the start.
    const alerts = await searchUntil(v, T.acme.read, { q: 'event.action:source-silent', from: '-1h' }, (r) => r.total >= 1, 20_000);
    const a = alerts.hits[0];
    assert.equal(a.event.kind, 'alert');
    assert.equal(a.vigil.source.parser, 'squid');
    assert.equal(a.vigil.source.expectation, 'configured');
    // The other sources keep their default expectation (24 h) and stay active.
    const src = await api(v, T.acme.read, 'GET', '/api/v1/sources');
    assert.equal(src.status, 200);
    const silent = src.json.sources.filter((s: any) => s.status === 'silent').map((s: any) => s.parser);
    assert.deepEqual(silent, ['squid']);
    assert.ok(src.json.sources.length >= 4);
    const onlySilent = await api(v, T.acme.read, 'GET', '/api/v1/sources?status=silent');
    assert.deepEqual(onlySilent.json.sources.map((s: any) => s.parser), ['squid']);
    // B4's only source is squid: at risk. B3 (bind) is not.
    const rows = byId((await coverage(T.acme.read)).requirements);
    assert.equal(rows.get('B4').at_risk, true);
    assert.equal(rows.get('B4').sources[0].status, 'silent');
    assert.equal(rows.get('B3').at_risk, false);
    // One alert per silence, not one per check.
    await new Promise((r) => setTimeout(r, 2500));
    const again = await searchUntil(v, T.acme.read, { q: 'event.action:source-silent', from: '-1h' }, () => true);
    assert.equal(again.total, 1);
    // It sends again: a resumed event, and it is active.
    const line = readFileSync(join(FIX, 'squid/fixtures/native.log'), 'utf8').split('\n')[0]!;
    assert.equal((await api(v, T.acme.ingest, 'POST', '/api/v1/events', line + '\n', { 'content-type': 'text/plain' })).status, 200);
    await searchUntil(v, T.acme.read, { q: 'event.action:source-resumed', from: '-1h' }, (r) => r.total === 1, 20_000);
  });

  test('vigil coverage: table, json, csv and a standalone html report; vigil sources', async () => {
    const conn = ['--server', v.url, '--token', T.acme.read];
    const json = vigil(['coverage', '--format', 'json', '--from', '2000-01-01T00:00:00Z', '--to', 'now+1d', ...conn]);
    assert.equal(json.code, 0, json.stderr);
    const api1 = await coverage(T.acme.read);
    const cli = JSON.parse(json.stdout);
    assert.deepEqual(cli.requirements.map((r: any) => [r.id, r.status, r.events]), api1.requirements.map((r: any) => [r.id, r.status, r.events]));

    const table = vigil(['coverage', '--tier', 'baseline', '--from', '2000-01-01T00:00:00Z', '--to', 'now+1d', ...conn]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /coverage of acme \(hosted on cloud\), tier baseline/);
    assert.match(table.stdout, /^B5\.1\s+Virtual machine creation.*inherited from cloud/m);
    assert.match(table.stdout, /^B3\s+.*partial.*answers/m);

    const csv = vigil(['coverage', '--format', 'csv', '--from', '2000-01-01T00:00:00Z', '--to', 'now+1d', ...conn]);
    const lines = csv.stdout.trim().split('\n');
    assert.equal(lines[0], 'tenant,kind,id,title,tier,status,events,last_seen,sources,fields,missing_fields,inherited_from,reason,at_risk');
    assert.equal(lines.length, 1 + api1.requirements.length + api1.principles.length);
    assert.ok(lines.some((l) => l.startsWith('acme,requirement,E6,') && l.includes('not_applicable') && l.includes('no mobile device management in use')));

    const out = join(tempDir(), 'report.html');
    const html = vigil(['coverage', '--format', 'html', '-o', out, '--from', '2000-01-01T00:00:00Z', '--to', 'now+1d', ...conn]);
    assert.equal(html.code, 0, html.stderr);
    const page = readFileSync(out, 'utf8');
    assert.match(page, /^<!doctype html>/);
    assert.doesNotMatch(page, /<script|<link|src=/i, 'standalone: no scripts or external assets');
    assert.match(page, /@media print/);
    assert.match(page, /Security log collection coverage: acme/);
    // The seed text of a gap, and a partial row's missing field.
    assert.match(page, /All firewall DENY log data must be forwarded/);
    assert.match(page, /B3.*partial/s);

    const sources = vigil(['sources', '--status', 'silent', ...conn]);
    assert.equal(sources.code, 0, sources.stderr);
    assert.match(sources.stdout, /squid/);
    assert.doesNotMatch(sources.stdout, /bind/);

    const denied = vigil(['coverage', '--tenant', 'globex', ...conn]);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /403/);
  });
});
