// Runs compiled queries against a real in-memory DuckDB holding a handful of events for two tenants.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance, type DuckDBConnection, type DuckDBInstance as Instance, type DuckDBValue } from '@duckdb/node-api';
import { VigilError } from '../core/errors.js';
import { eventsTableDdl } from '../store/schema.js';
import type { Expr } from '../ql/ast.js';
import { compileFilter, compileSearch, type SearchScope } from './compile.js';
import { parseQuery } from '../ql/parser.js';

interface Row {
  tenant: string;
  id: number;
  ts: string;
  event_category?: string[];
  user_name?: string;
  source_ip?: string;
  source_port?: number;
  message?: string;
  original: string;
  rest?: unknown;
}

const ROWS: Row[] = [
  {
    tenant: 'acme', id: 1, ts: '2024-05-01T10:00:00Z', event_category: ['authentication'], user_name: 'alice',
    source_ip: '10.1.2.3', source_port: 22, message: 'Failed password for alice',
    original: '<34>sshd: Failed password for alice from 10.1.2.3 port 22',
    rest: { url: { path: '/login' }, tags: ['vpn', 'prod'], http: { response: { status_code: 401 } } },
  },
  {
    tenant: 'acme', id: 2, ts: '2024-05-01T11:00:00Z', event_category: ['authentication', 'network'], user_name: 'bob',
    source_ip: '192.168.7.9', source_port: 443, message: 'Accepted publickey for bob',
    original: 'sshd: Accepted publickey for bob from 192.168.7.9',
    rest: { url: { path: '/home/x_y%z' }, tags: 'prod', http: { response: { status_code: 200 } } },
  },
  {
    tenant: 'acme', id: 3, ts: '2024-05-01T12:00:00Z', event_category: ['network'], user_name: 'carol',
    source_ip: '10.200.0.1', source_port: 8080, message: 'Connection closed', original: 'conn closed by 10.200.0.1',
    rest: { url: { path: '/home/xAy%z' }, note: null, list: [] },
  },
  { tenant: 'acme', id: 4, ts: '2024-05-01T13:00:00Z', source_ip: '2001:db8::1', original: 'plain line zebra', rest: {} },
  { tenant: 'acme', id: 5, ts: '2024-04-01T10:00:00Z', user_name: 'alice', original: 'old alice event' },
  {
    tenant: 'globex', id: 6, ts: '2024-05-01T10:30:00Z', event_category: ['authentication'], user_name: 'alice',
    source_ip: '10.9.9.9', source_port: 22, message: 'Failed password for alice', original: 'globex secret Failed password for alice',
    rest: { url: { path: '/login' }, tags: ['vpn'] },
  },
  { tenant: 'globex', id: 7, ts: '2024-05-01T11:30:00Z', user_name: 'mallory', original: 'globex mallory', rest: {} },
];

const SCOPE: SearchScope = {
  tenant: 'acme',
  from: new Date('2024-05-01T00:00:00Z'),
  to: new Date('2024-05-02T00:00:00Z'),
  limit: 100,
  now: new Date('2024-05-01T13:30:00Z'),
};

let db: Instance;
let c: DuckDBConnection;

before(async () => {
  db = await DuckDBInstance.create(':memory:');
  c = await db.connect();
  await c.run(eventsTableDdl());
  for (const r of ROWS) {
    await c.run(
      `INSERT INTO events (tenant, id, ts, ingested, event_category, user_name, source_ip, source_port, message, original, rest)
       VALUES ($1, $2, CAST($3 AS TIMESTAMP), CAST($3 AS TIMESTAMP), CAST(CAST($4 AS JSON) AS VARCHAR[]), $5, $6, $7, $8, $9, CAST($10 AS JSON))`,
      [r.tenant, r.id, r.ts.replace('Z', ''), r.event_category ? JSON.stringify(r.event_category) : null, r.user_name ?? null,
        r.source_ip ?? null, r.source_port ?? null, r.message ?? null, r.original, r.rest === undefined ? null : JSON.stringify(r.rest)],
    );
  }
});

after(() => {
  c.closeSync();
  db.closeSync();
});

async function rows(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  const reader = await c.runAndReadAll(sql, params as DuckDBValue[]);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

/** Ids of the hits, in result order; also checks the count query agrees and every hit is the scope's tenant. */
async function ids(query: string, scope: Partial<SearchScope> = {}): Promise<number[]> {
  const s = { ...SCOPE, ...scope };
  const compiled = compileSearch(parseQuery(query), s);
  assert.equal(compiled.kind, 'hits');
  const hits = await rows(compiled.sql, compiled.params);
  for (const h of hits) assert.equal(h.tenant, s.tenant, `${query} leaked ${JSON.stringify(h)}`);
  const [count] = await rows(compiled.countSql!, compiled.countParams!);
  if (hits.length < s.limit && !query.includes('head')) {
    assert.equal(count!.n, hits.length, `count for ${query}`);
  }
  return hits.map((h) => Number(h.id));
}

async function stats(query: string, scope: Partial<SearchScope> = {}): Promise<{ columns: string[]; rows: unknown[][] }> {
  const compiled = compileSearch(parseQuery(query), { ...SCOPE, ...scope });
  assert.equal(compiled.kind, 'stats');
  const out = await rows(compiled.sql, compiled.params);
  return { columns: compiled.columns!, rows: out.map((r) => Object.values(r)) };
}

test('the WHERE clause starts with tenant and window, placeholders in order', () => {
  const c1 = compileSearch(parseQuery('user.name:alice'), SCOPE);
  assert.match(c1.sql, /WHERE tenant = \$1 AND ts >= CAST\(\$2 AS TIMESTAMP\) AND ts < CAST\(\$3 AS TIMESTAMP\) AND /);
  assert.deepEqual(c1.params.slice(0, 4), ['acme', '2024-05-01T00:00:00.000Z', '2024-05-02T00:00:00.000Z', 'alice']);
  assert.ok(!c1.sql.includes('alice'));
});

/** [query, acme hit ids in order] */
const HIT_CASES: [string, number[]][] = [
  ['', [4, 3, 2, 1]],
  ['*', [4, 3, 2, 1]],
  ['user.name:alice', [1]],
  ['user.name:ALICE', []],
  ['user.name:a*', [1]],
  ['user.name:*o*', [3, 2]],
  ['user.name:(alice or bob)', [2, 1]],
  ['event.category:network', [3, 2]],
  ['event.category:auth*', [2, 1]],
  ['event.category:*', [3, 2, 1]],
  ['message:password', [1]],
  ['message:"FAILED password"', [1]],
  ['message:fail*for', [1]],
  ['password', [1]],
  ['"publickey for bob"', [2]],
  ['ZEBRA', [4]],
  ['p*rd', [1]],
  ['source.port:22', [1]],
  ['source.port > 100', [3, 2]],
  ['source.port <= 22', [1]],
  ['source.port >= 443 and source.port < 8080', [2]],
  ['source.ip:10.0.0.0/8', [3, 1]],
  ['source.ip:10.1.0.0/16', [1]],
  ['source.ip:0.0.0.0/0', [3, 2, 1]],
  ['source.ip:192.168.7.9', [2]],
  ['source.ip:192.168.7.9/32', [2]],
  ['source.ip:10.*', [3, 1]],
  ['source.ip:2001:db8::1', [4]],
  ['source.ip:2001:db8::1/128', [4]],
  ['source.ip:*', [4, 3, 2, 1]],
  ['user.name:*', [3, 2, 1]],
  ['not user.name:*', [4]],
  ['not user.name:alice', [4, 3, 2]],
  ['not (user.name:alice or user.name:bob)', [4, 3]],
  ['not message:password', [4, 3, 2]],
  ['alice and not password', []],
  ['url.path:/login', [1]],
  ['url.path:*x_y%z', [2]],
  ['url.path:/home/*', [3, 2]],
  ['url.path:"/home/x_y%z"', [2]],
  ['tags:vpn', [1]],
  ['tags:prod', [2, 1]],
  ['tags:pr*', [2, 1]],
  ['tags:*', [2, 1]],
  ['url:*', [3, 2, 1]],
  ['note:*', []],
  ['list:*', []],
  ['not tags:*', [4, 3]],
  ['http.response.status_code:401', [1]],
  ['http.response.status_code >= 400', [1]],
  ['http.response.status_code < 300', [2]],
  ['http.response.status_code > "3"', [1]],
  ['@timestamp >= "2024-05-01T11:30:00Z"', [4, 3]],
  ['@timestamp < 2024-05-01T11:00:00Z', [1]],
  ['@timestamp > -1h', [4]],
  ['@timestamp >= now-2h and @timestamp < now', [4, 3]],
  ['@timestamp:2024-05-01T12:00:00Z', [3]],
  ['tenant:globex', []],
  ['vigil.tenant:globex', []],
  ['globex', []],
  ['mallory', []],
  ['| sort source.port', [1, 2, 3, 4]],
  ['| sort -user.name | head 2', [3, 2]],
  ['| sort -event.category', [3, 2, 1, 4]],
  ['| sort -http.response.status_code', [1, 2, 4, 3]],
  ['| sort url.path', [3, 2, 1, 4]], // '/home/xAy%z' < '/home/x_y%z' < '/login'; missing last
  ['| head 2', [4, 3]],
  ['| head 2 | head 5', [4, 3]],
];

test('hits: each operator returns exactly the right rows of the right tenant', async () => {
  for (const [query, expected] of HIT_CASES) assert.deepEqual(await ids(query), expected, query);
});

test('tenant isolation: the other tenant sees only its own rows, whatever the query', async () => {
  assert.deepEqual(await ids('user.name:alice', { tenant: 'globex' }), [6]);
  assert.deepEqual(await ids('', { tenant: 'globex' }), [7, 6]);
  for (const [query] of HIT_CASES) await ids(query, { tenant: 'globex' }); // ids() asserts every hit's tenant
  const s = await stats('* | stats count()', { tenant: 'globex' });
  assert.deepEqual(s.rows, [[2]]);
});

test('time window and limit come from the scope; head caps the limit', async () => {
  assert.deepEqual(await ids('alice', { from: new Date('2024-01-01T00:00:00Z') }), [1, 5]);
  assert.deepEqual(await ids('', { limit: 1 }), [4]);
  assert.deepEqual(await ids('| head 3', { limit: 2 }), [4, 3]);
  assert.deepEqual(await ids('', { limit: 0 }), []);
  const c1 = compileSearch(parseQuery('| head 1'), SCOPE);
  assert.deepEqual(await rows(c1.countSql!, c1.countParams!), [{ n: 4 }], 'the total ignores head and limit');
});

test('fields pipe is handed back for projection', () => {
  const c1 = compileSearch(parseQuery('x | fields user.name, source.port'), SCOPE);
  assert.deepEqual(c1.fields, ['user.name', 'source.port']);
  assert.equal(compileSearch(parseQuery('x'), SCOPE).fields, undefined);
});

test('stats: aggregations, groups, unnesting, sort and head', async () => {
  assert.deepEqual(await stats('| stats count()'), { columns: ['count()'], rows: [[4]] });
  assert.deepEqual(await stats('nothing-matches-this | stats count()'), { columns: ['count()'], rows: [[0]] });
  assert.deepEqual(await stats('| stats count() by event.category'), {
    columns: ['count()', 'event.category'],
    rows: [[2, 'authentication'], [2, 'network'], [1, null]],
  });
  assert.deepEqual((await stats('| stats count() by user.name | sort user.name')).rows, [[1, 'alice'], [1, 'bob'], [1, 'carol'], [1, null]]);
  assert.deepEqual(
    await stats('| stats min(source.port), max(source.port), avg(source.port) as mean, sum(source.port), dc(user.name), count(user.name)'),
    {
      columns: ['min(source.port)', 'max(source.port)', 'mean', 'sum(source.port)', 'dc(user.name)', 'count(user.name)'],
      rows: [[22, 8080, (22 + 443 + 8080) / 3, 8545, 3, 3]],
    },
  );
  assert.deepEqual((await stats('| stats count() by tags')).rows, [[2, 'prod'], [2, null], [1, 'vpn']]);
  assert.deepEqual((await stats('| stats dc(tags), dc(event.category), count(tags), avg(http.response.status_code)')).rows, [[2, 2, 2, 300.5]]);
  assert.deepEqual((await stats('| stats min(@timestamp), max(@timestamp), min(event.category), max(user.name)')).rows, [
    ['2024-05-01T10:00:00.000Z', '2024-05-01T13:00:00.000Z', 'authentication', 'carol'],
  ]);
  assert.deepEqual((await stats('| stats count() as n by source.port | sort -source.port | head 2')).rows, [[1, 8080], [1, 443]]);
  assert.deepEqual((await stats('| stats count() as n by event.category, user.name | sort -n, event.category | head 3')).rows, [
    [1, 'authentication', 'alice'],
    [1, 'authentication', 'bob'],
    [1, 'network', 'bob'],
  ]);
  assert.deepEqual((await stats('| stats count() by @timestamp | sort @timestamp | head 1')).rows, [[1, '2024-05-01T10:00:00.000Z']]);
  assert.deepEqual((await stats('user.name:alice | stats count() by user.name', { tenant: 'globex' })).rows, [[1, 'alice']]);
});

test('semantic errors are VigilErrors naming the problem', () => {
  const cases: [string, string, RegExp][] = [
    ['source.port:abc', 'bad_request', /source\.port.*number/],
    ['source.port:2*', 'bad_request', /wildcards/],
    ['source.port > abc', 'bad_request', /source\.port/],
    ['@timestamp > yesterday', 'bad_time', /yesterday/],
    ['source.ip:2001:db8::/32', 'bad_request', /IPv6 CIDR is not supported yet/],
    ['source.port:10.0.0.0/8', 'bad_request', /not an IP field/],
    ['| stats avg(user.name)', 'bad_request', /avg\(user\.name\) needs a numeric field/],
    ['| stats sum(event.category)', 'bad_request', /numeric/],
    ['| stats count() | sort -nope', 'bad_request', /cannot sort by nope/],
    ['| sort -count()', 'bad_request', /needs a 'stats' pipe/],
    ['| head 1 | stats count()', 'bad_request', /before 'stats'/],
    ['| stats count() | fields a', 'bad_request', /after 'stats'/],
    ['| stats count() | stats count()', 'bad_request', /after 'stats'/],
    ['| head 1 | sort a', 'bad_request', /'sort' after 'head'/],
  ];
  for (const [query, code, message] of cases) {
    assert.throws(() => compileSearch(parseQuery(query), SCOPE), (e: unknown) => e instanceof VigilError && e.code === code && message.test(e.message), query);
  }
  assert.throws(() => compileSearch(parseQuery('x'), { ...SCOPE, from: new Date('nope') }), { code: 'bad_time' });
  assert.throws(() => compileSearch(parseQuery('x'), { ...SCOPE, limit: -1 }), { code: 'bad_request' });
});

test('SQL injection attempts are only ever parameters: they match nothing and the table survives', async () => {
  const hostile = [
    'user.name:"\' OR 1=1 --"',
    `"'; DROP TABLE events; --"`,
    'message:"\\"; DROP TABLE events"',
    "url.path:\"') OR ('1'='1\"",
    "source.ip:\"1.2.3.4' OR '1'='1\"",
    'user.name:*\'* or x',
    "'",
    '"\\\\\'"',
  ];
  for (const query of hostile) {
    const compiled = compileSearch(parseQuery(query), SCOPE);
    assert.ok(!compiled.sql.includes('DROP') && !compiled.sql.includes('1=1') && !compiled.sql.includes("''"), compiled.sql);
    assert.deepEqual(await ids(query), [], query);
  }
  // A hostile tenant name is a parameter too.
  assert.deepEqual(await ids('', { tenant: "acme' OR '1'='1" }), []);
  // Field names never reach SQL text: programmatic trees with bad names are refused.
  const bad: Expr = { type: 'match', field: 'x"); DROP TABLE events; --', value: 'v', wildcard: false, quoted: false };
  assert.throws(() => compileSearch({ filter: bad, pipes: [] }, SCOPE), { code: 'bad_request' });
  assert.throws(() => compileSearch({ filter: { type: 'all' }, pipes: [{ type: 'fields', fields: ['a'] }, { type: 'sort', keys: [{ field: "a' --", desc: false }] }] }, SCOPE), {
    code: 'bad_request',
  });
  const [n] = await rows('SELECT count(*)::INTEGER AS n FROM events', []);
  assert.equal(n!.n, ROWS.length);
});

test('compileFilter numbers its placeholders from paramStart and composes into other queries', async () => {
  const f = compileFilter(parseQuery('user.name:alice or tags:prod').filter, 2);
  assert.match(f.sql, /\$2/);
  assert.ok(!f.sql.includes('$1'));
  const out = await rows(`SELECT id FROM events WHERE tenant = $1 AND ${f.sql} ORDER BY id`, ['acme', ...f.params]);
  assert.deepEqual(out.map((r) => Number(r.id)), [1, 2, 5]);
  assert.deepEqual(compileFilter({ type: 'all' }, 1), { sql: 'TRUE', params: [] });
});
