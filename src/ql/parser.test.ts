// One table of parse cases drives parse, print and round-trip checks; then error positions, and fuzzing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VigilError } from '../core/errors.js';
import type { Expr, Query } from './ast.js';
import { parseQuery, MAX_DEPTH } from './parser.js';
import { printQuery } from './printer.js';

const m = (field: string, value: string, o: { wildcard?: boolean; quoted?: boolean } = {}): Expr => ({
  type: 'match',
  field,
  value,
  wildcard: o.wildcard ?? false,
  quoted: o.quoted ?? false,
});
const t = (value: string, o: { wildcard?: boolean; quoted?: boolean } = {}): Expr => ({
  type: 'term',
  value,
  wildcard: o.wildcard ?? false,
  quoted: o.quoted ?? false,
});
const and = (...items: Expr[]): Expr => ({ type: 'and', items });
const or = (...items: Expr[]): Expr => ({ type: 'or', items });
const not = (expr: Expr): Expr => ({ type: 'not', expr });
const all: Expr = { type: 'all' };
const q = (filter: Expr, pipes: Query['pipes'] = []): Query => ({ filter, pipes });

/** [input, expected AST, canonical print] */
export const PARSE_CASES: [string, Query, string][] = [
  ['', q(all), '*'],
  ['   ', q(all), '*'],
  ['*', q(all), '*'],
  ['user.name:alice', q(m('user.name', 'alice')), 'user.name:alice'],
  ['user.name : alice', q(m('user.name', 'alice')), 'user.name:alice'],
  ['@timestamp:*', q({ type: 'exists', field: '@timestamp' }), '@timestamp:*'],
  ['log.syslog.severity.code:3', q(m('log.syslog.severity.code', '3')), 'log.syslog.severity.code:3'],
  ['message:"failed password"', q(m('message', 'failed password', { quoted: true })), 'message:"failed password"'],
  ['user.name:foo\\:bar', q(m('user.name', 'foo:bar')), 'user.name:foo\\:bar'],
  ['url.full:http://x.test/a', q(m('url.full', 'http://x.test/a')), 'url.full:http\\://x.test/a'],
  ['host.name:web*', q(m('host.name', 'web*', { wildcard: true })), 'host.name:web*'],
  ['host.name:we\\*b*', q(m('host.name', 'we\\*b*', { wildcard: true })), 'host.name:we\\*b*'],
  ['host.name:\\*', q(m('host.name', '*')), 'host.name:\\*'],
  ['host.name:"*"', q(m('host.name', '*', { quoted: true })), 'host.name:"*"'],
  ['user.name:and', q(m('user.name', 'and')), 'user.name:and'],
  ['password', q(t('password')), 'password'],
  ['"failed password"', q(t('failed password', { quoted: true })), '"failed password"'],
  ['"say \\"hi\\""', q(t('say "hi"', { quoted: true })), '"say \\"hi\\""'],
  ['pass*rd', q(t('pass*rd', { wildcard: true })), 'pass*rd'],
  ['\\and', q(t('and')), '\\and'],
  ['a b c', q(and(t('a'), t('b'), t('c'))), 'a and b and c'],
  ['a AND b Or c', q(or(and(t('a'), t('b')), t('c'))), 'a and b or c'],
  ['a or b and c', q(or(t('a'), and(t('b'), t('c')))), 'a or b and c'],
  ['(a or b) c', q(and(or(t('a'), t('b')), t('c'))), '(a or b) and c'],
  ['a and (b and c)', q(and(t('a'), t('b'), t('c'))), 'a and b and c'],
  ['((a))', q(t('a')), 'a'],
  ['NOT a b', q(and(not(t('a')), t('b'))), 'not a and b'],
  ['not (a or b)', q(not(or(t('a'), t('b')))), 'not (a or b)'],
  ['not not a', q(not(not(t('a')))), 'not not a'],
  ['and:x not:y', q(and(m('and', 'x'), m('not', 'y'))), 'and:x and not:y'],
  ['source.port > 1024', q({ type: 'range', field: 'source.port', op: '>', value: 1024 }), 'source.port > 1024'],
  ['source.port>=-1.5', q({ type: 'range', field: 'source.port', op: '>=', value: -1.5 }), 'source.port >= -1.5'],
  ['source.port:<=22', q({ type: 'range', field: 'source.port', op: '<=', value: 22 }), 'source.port <= 22'],
  ['source.port < "22"', q({ type: 'range', field: 'source.port', op: '<', value: '22' }), 'source.port < "22"'],
  [
    '@timestamp >= 2024-01-01T00:00:00Z',
    q({ type: 'range', field: '@timestamp', op: '>=', value: '2024-01-01T00:00:00Z' }),
    '@timestamp >= "2024-01-01T00:00:00Z"',
  ],
  ['@timestamp > -1h', q({ type: 'range', field: '@timestamp', op: '>', value: '-1h' }), '@timestamp > "-1h"'],
  ['source.ip:10.0.0.0/8', q({ type: 'cidr', field: 'source.ip', network: '10.0.0.0', prefix: 8 }), 'source.ip:10.0.0.0/8'],
  ['client.ip:2001:db8::/32', q({ type: 'cidr', field: 'client.ip', network: '2001:db8::', prefix: 32 }), 'client.ip:2001:db8::/32'],
  ['source.ip:10.0.0.0\\/8', q(m('source.ip', '10.0.0.0/8')), 'source.ip:10.0.0.0\\/8'],
  ['source.ip:10.0.0.0/33', q(m('source.ip', '10.0.0.0/33')), 'source.ip:10.0.0.0/33'],
  ['source.ip:10.1.2.3', q(m('source.ip', '10.1.2.3')), 'source.ip:10.1.2.3'],
  ['user.name:(alice or bob)', q(or(m('user.name', 'alice'), m('user.name', 'bob'))), 'user.name:alice or user.name:bob'],
  [
    'user.name:(alice "b c" not d*)',
    q(and(m('user.name', 'alice'), m('user.name', 'b c', { quoted: true }), not(m('user.name', 'd*', { wildcard: true })))),
    'user.name:alice and user.name:"b c" and not user.name:d*',
  ],
  ['a,b', q(t('a,b')), 'a\\,b'],
  ['| stats count()', q(all, [{ type: 'stats', aggs: [{ fn: 'count' }], by: [] }]), '* | stats count()'],
  [
    'x | STATS count, dc(user.name) as users, avg(source.port) by event.category, host.name',
    q(t('x'), [
      {
        type: 'stats',
        aggs: [{ fn: 'count' }, { fn: 'dc', field: 'user.name', alias: 'users' }, { fn: 'avg', field: 'source.port' }],
        by: ['event.category', 'host.name'],
      },
    ]),
    'x | stats count(), dc(user.name) as users, avg(source.port) by event.category, host.name',
  ],
  [
    '* | stats count() by user.name | sort -count(), user.name | head 5',
    q(all, [
      { type: 'stats', aggs: [{ fn: 'count' }], by: ['user.name'] },
      { type: 'sort', keys: [{ field: 'count()', desc: true }, { field: 'user.name', desc: false }] },
      { type: 'head', n: 5 },
    ]),
    '* | stats count() by user.name | sort -count(), user.name | head 5',
  ],
  [
    'a|sort -source.port,+b|head 2|fields user.name,source.port',
    q(t('a'), [
      { type: 'sort', keys: [{ field: 'source.port', desc: true }, { field: 'b', desc: false }] },
      { type: 'head', n: 2 },
      { type: 'fields', fields: ['user.name', 'source.port'] },
    ]),
    'a | sort -source.port, b | head 2 | fields user.name, source.port',
  ],
];

test('parse cases', () => {
  for (const [input, expected] of PARSE_CASES) assert.deepEqual(parseQuery(input), expected, input);
});

test('print cases', () => {
  for (const [input, , printed] of PARSE_CASES) assert.equal(printQuery(parseQuery(input)), printed, input);
});

test('parse(print(parse(x))) equals parse(x)', () => {
  for (const [input] of PARSE_CASES) {
    const once = parseQuery(input);
    assert.deepEqual(parseQuery(printQuery(once)), once, input);
  }
});

/** [input, position, a fragment of `expected`] */
const ERRORS: [string, number, string][] = [
  ['user.name:', 10, "a value after ':'"],
  ['user.name: )', 11, "a value after ':'"],
  ['(a or b', 7, "')' to close the '(' at position 0"],
  ['a and', 5, 'a term'],
  ['a or or b', 5, 'a term'],
  [')', 0, 'a term'],
  ['a )', 2, 'end of query'],
  ['()', 1, 'an expression'],
  ['f:()', 3, 'a value'],
  ['f:(a or)', 7, 'a value for f'],
  ['"abc', 0, 'closing'],
  ['x:"abc\\', 6, "a character after '\\'"],
  ['foo\\', 3, "a character after '\\'"],
  ['a > ', 4, "a value after '>'"],
  ['a >= b*', 5, "without '*'"],
  ['a > (', 4, "a value after '>'"],
  ['*a:b', 0, 'a field name'],
  ['a-b:c', 0, 'a field name'],
  ['> 5', 0, 'a term'],
  ['|', 1, 'a pipe command'],
  ['| frob', 2, 'a pipe command'],
  ['| stats', 7, 'an aggregation'],
  ['| stats median(x)', 8, 'an aggregation'],
  ['| stats count() by', 18, 'a field name'],
  ['a | stats dc()', 13, 'a field name inside dc'],
  ['a | stats sum x', 14, "'(' after 'sum'"],
  ['| stats count() as by', 19, 'an alias'],
  ['| stats count() x', 16, "',', '|' or end of query"],
  ['x | sort', 8, 'a field to sort by'],
  ['x | sort -', 9, 'a field to sort by'],
  ['x | head', 8, 'a number of rows'],
  ['x | head -1', 9, 'a number of rows'],
  ['x | fields a,', 13, 'a field name'],
  ['('.repeat(MAX_DEPTH + 5) + 'a', MAX_DEPTH, 'levels of nesting'],
  ['not '.repeat(MAX_DEPTH + 5) + 'a', MAX_DEPTH * 4, 'levels of nesting'],
];

test('syntax errors: VigilError query_syntax with position and expected', () => {
  for (const [input, position, expected] of ERRORS) {
    assert.throws(
      () => parseQuery(input),
      (e: unknown) => {
        assert.ok(e instanceof VigilError, `${input}: ${String(e)}`);
        assert.equal(e.code, 'query_syntax', input);
        assert.equal(e.details?.position, position, `${input}: ${e.message}`);
        assert.ok(String(e.details?.expected).includes(expected), `${input}: ${e.message}`);
        assert.match(e.message, new RegExp(`^expected .* at position ${position}`), input);
        return true;
      },
    );
  }
});

test('the message reads like the contract says', () => {
  assert.throws(() => parseQuery('user.name:'), { message: "expected a value after ':' at position 10 (found end of query)" });
});

test('very long flat queries parse without recursion trouble', () => {
  const n = 20_000;
  const r = parseQuery(Array.from({ length: n }, (_, i) => `t${i}`).join(' or '));
  assert.equal(r.filter.type === 'or' && r.filter.items.length, n);
});
