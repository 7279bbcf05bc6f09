// The in-memory predicate must mean what the SQL compiler means: the same queries run both ways over
// the same events (stored through the real store), and the matching ids must be equal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EcsDoc } from '../core/event.js';
import { DuckStore } from '../store/duckdb-store.js';
import { HOT_BY_FIELD } from '../store/schema.js';
import { compileFilter } from '../query/compile.js';
import { parseQuery } from './parser.js';
import { compilePredicate } from './predicate.js';

const DOCS: EcsDoc[] = [
  {
    '@timestamp': '2026-11-23T10:00:00.000Z',
    event: { category: ['authentication'], type: ['start'], outcome: 'failure', action: 'ssh_login', original: '<38>sshd[1]: Failed password for alice from 10.1.2.3' },
    user: { name: 'alice' },
    source: { ip: '10.1.2.3', port: 2222, address: '10.1.2.3' },
    // Copies of source.* are stored as derivations of its columns (store/schema.ts), server.* is not.
    client: { ip: '10.1.2.3', address: '10.1.2.3', port: 2222 },
    server: { ip: '10.9.9.9' },
    host: { name: 'bastion-1' },
    observer: { hostname: 'bastion-1' },
    message: 'Failed password for alice from 10.1.2.3',
    system: { auth: { ssh: { method: 'password' } } },
    tags: ['vpn', 'prod'],
  },
  {
    '@timestamp': '2026-11-23T10:01:00.000Z',
    event: { category: ['authentication', 'session'], type: ['start'], outcome: 'success', action: 'ssh_login', original: 'Accepted publickey for bob' },
    user: { name: 'bob' },
    source: { ip: '192.168.7.9', port: 51000 },
    // Copies that differ from source.* (or have another type) stay in rest.
    client: { ip: '192.168.7.10', port: '51000' },
    system: { auth: { ssh: { method: 'publickey', key: { fingerprint: 'SHA256:abc' } } } },
    tags: 'prod',
  },
  {
    '@timestamp': '2026-11-23T10:02:00.000Z',
    event: { category: ['network'], type: ['protocol'], action: 'query', original: 'client 10.200.0.1#5353: query: Example.COM IN A +' },
    dns: { question: { name: 'Example.COM', type: 'A' }, response_code: 'NOERROR', answers: [{ data: '93.184.216.34', type: 'A' }] },
    source: { ip: '10.200.0.1' },
    destination: { ip: '10.0.0.53', port: 53 },
    server: { ip: '10.0.0.53', address: 'ns1.example.com', port: 53 },
    observer: { hostname: 'ns1' },
    http: { response: { status_code: 404, bytes: 1200 } },
    note: null,
    list: [],
  },
  {
    '@timestamp': '2026-11-23T10:03:00.000Z',
    event: { category: ['iam'], type: ['user', 'creation'], action: 'added-user-account', original: 'useradd: new user: name=zed' },
    user: { name: 'root', target: { name: 'zed' } },
    source: { ip: '2001:db8::1' },
    message: 'new user: name=zed, UID=1001',
  },
  { '@timestamp': '2026-11-23T10:04:00.000Z', event: { original: 'plain line with a Zebra*star' }, labels: { env: 'x_y%z' } },
];

const QUERIES = [
  'event.category:authentication',
  'event.category:(authentication or iam)',
  'event.category:authentication and event.outcome:failure',
  'not event.outcome:failure',
  'not user.name:alice',
  'user.name:al*',
  'user.name:*o*',
  'user.name:*ce',
  'user.name:a*e',
  'event.action:(ssh_* or query or added-user-account)',
  'event.category:(iam or web) or user.name:(bob or carol)',
  'user.name:ALICE',
  'event.type:user and event.type:creation',
  'source.ip:10.0.0.0/8',
  'source.ip:192.168.0.0/16 or source.ip:2001:db8::1',
  'source.port > 3000',
  'source.port <= 2222',
  'http.response.status_code >= 400',
  'http.response.status_code:404',
  'system.auth.ssh.key.fingerprint:*',
  'system.auth.ssh.method:publickey',
  'tags:prod',
  'tags:vp*',
  'note:*',
  'list:*',
  'dns.answers:*',
  'dns.question.name:Example.COM',
  'dns.question.name:example.com',
  'message:"failed password"',
  'message:FAILED',
  'message:new*zed',
  'zebra',
  '"Zebra\\*star"',
  'Accepted',
  'labels.env:x_y%z',
  'labels.env:x_*',
  'event.action:(ssh_login or query) and not source.ip:10.1.2.3',
  '@timestamp >= "2026-11-23T10:02:00Z"',
  'user.target.name:zed or (event.category:network and dns.response_code:NOERROR)',
  'client.ip:10.0.0.0/8',
  'client.ip:192.168.7.10',
  'client.ip:192.168.*',
  'client.port:2222',
  'client.port > 1000',
  'client.address:*',
  'source.address:10.1.2.3',
  'server.ip:10.0.0.0/8',
  'server.address:ns1*',
  'server.port:53',
  'observer.hostname:bastion-1',
  'observer.hostname:*',
];

let dir: string;
let store: DuckStore;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-pred-'));
  store = await DuckStore.open({ dataDir: dir });
  await store.writeBatch(
    DOCS.map((doc, i) => {
      const d = structuredClone(doc);
      (d.event as EcsDoc).ingested = '2026-11-23T12:00:00.000Z';
      return { tenant: 't', id: BigInt(i), doc: d };
    }),
    'test',
    1,
  );
});

after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const kindOf = (f: string) => HOT_BY_FIELD.get(f)?.kind;

for (const q of QUERIES) {
  test(`predicate agrees with SQL: ${q}`, async () => {
    const expr = parseQuery(q).filter;
    const { sql, params } = compileFilter(expr, 2);
    const { rows } = await store.query(`SELECT id FROM events WHERE tenant = $1 AND ${sql} ORDER BY id`, ['t', ...params]);
    const viaSql = rows.map((r) => Number(r.id));
    const pred = compilePredicate(expr, { kindOf });
    const viaJs = DOCS.map((d, i) => (pred(d) ? i : -1)).filter((i) => i >= 0);
    assert.deepEqual(viaJs, viaSql);
  });
}

test('the queries are not trivially all-or-nothing', async () => {
  const counts = QUERIES.map((q) => DOCS.filter(compilePredicate(parseQuery(q).filter, { kindOf })).length);
  assert.ok(counts.filter((n) => n > 0 && n < DOCS.length).length >= QUERIES.length - 6, `counts ${counts.join(',')}`);
});
