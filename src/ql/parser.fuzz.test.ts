// Property tests: the parser never throws anything but a query_syntax VigilError and never stalls, whatever
// the input; whatever it accepts prints back to the same tree; generated trees survive print -> parse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { VigilError } from '../core/errors.js';
import type { Agg, Expr, Pipe, Query, RangeOp } from './ast.js';
import { parseQuery } from './parser.js';
import { printQuery } from './printer.js';

const QUERY_CHARS = [...'ab Z09.:*\\"()|,<>=-/@_ \tén', 'and', 'or', 'not', ' | stats ', 'count()', ' by ', ' sort ', ' head 3', 'user.name:'];

/** Parses, asserting the only failure is a query_syntax VigilError; returns the tree or null. */
function tryParse(input: string): Query | null {
  try {
    return parseQuery(input);
  } catch (e) {
    if (!(e instanceof VigilError) || e.code !== 'query_syntax') throw e;
    assert.equal(typeof e.details?.position, 'number');
    assert.ok((e.details!.position as number) >= 0 && (e.details!.position as number) <= input.length);
    return null;
  }
}

function acceptedRoundTrips(input: string): void {
  const t0 = performance.now();
  const ast = tryParse(input);
  assert.ok(performance.now() - t0 < 200, `slow parse of ${JSON.stringify(input)}`);
  if (ast) assert.deepEqual(parseQuery(printQuery(ast)), ast, `${JSON.stringify(input)} printed as ${printQuery(ast)}`);
}

test('fuzz: arbitrary unicode strings', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), acceptedRoundTrips), { numRuns: 3000 });
});

test('fuzz: strings made of query syntax', () => {
  const unit = fc.constantFrom(...QUERY_CHARS);
  fc.assert(fc.property(fc.string({ unit, maxLength: 60 }), acceptedRoundTrips), { numRuns: 5000 });
});

test('fuzz: pathological nesting and length finish fast', () => {
  for (const s of ['('.repeat(100_000), ')'.repeat(100_000), 'not '.repeat(50_000), '"'.repeat(100_001), 'a:'.repeat(50_000), '\\'.repeat(100_001), '|'.repeat(50_000), 'a '.repeat(50_000)]) {
    const t0 = performance.now();
    tryParse(s);
    assert.ok(performance.now() - t0 < 2000, `slow on ${s.slice(0, 10)}…`);
  }
});

// ---- generated trees ----

const FIELDS = ['user.name', 'source.ip', 'message', '@timestamp', 'url.path', 'a', 'and', 'not', 'OR', 'x1.y_2.@z'];
const CHARS = [...'aZ09 .:*\\"()|,<>=-/@\té', 'and', 'or', 'not'];
const field = fc.constantFrom(...FIELDS);
const text = (minLength: number) => fc.string({ unit: fc.constantFrom(...CHARS), minLength, maxLength: 8 });

/** Wildcard patterns per ast.ts: `*` wildcards, literal `*` and `\` escaped; never just `*` (that is exists / all). */
const pattern = fc
  .array(fc.oneof(fc.constant({ star: true, c: '' }), fc.constantFrom(...CHARS).map((c) => ({ star: false, c }))), { minLength: 1, maxLength: 6 })
  .filter((ps) => ps.some((p) => p.star) && !ps.every((p) => p.star))
  .map((ps) => ps.map((p) => (p.star ? '*' : p.c.replace(/[*\\]/g, (x) => '\\' + x))).join(''));

const valueShape = fc.oneof(
  text(1).map((value) => ({ value, wildcard: false, quoted: false })),
  text(0).map((value) => ({ value, wildcard: false, quoted: true })),
  pattern.map((value) => ({ value, wildcard: true, quoted: false })),
);

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));

const leaf: fc.Arbitrary<Expr> = fc.oneof(
  fc.constant<Expr>({ type: 'all' }),
  fc.record({ field, v: valueShape }).map(({ field, v }): Expr => ({ type: 'match', field, ...v })),
  valueShape.map((v): Expr => ({ type: 'term', ...v })),
  field.map((f): Expr => ({ type: 'exists', field: f })),
  fc
    .record({
      field,
      op: fc.constantFrom<RangeOp>('>', '>=', '<', '<='),
      value: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), text(0)),
    })
    .map((r): Expr => ({ type: 'range', ...r })),
  fc.record({ field, network: fc.oneof(ipv4, fc.constant('2001:db8::')), prefix: fc.nat(32) }).map((r): Expr => ({ type: 'cidr', ...r })),
);

const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    tie('expr').map((e): Expr => ({ type: 'not', expr: e })),
    fc.constantFrom('and' as const, 'or' as const).chain((type) =>
      fc
        .array(tie('expr').filter((e) => e.type !== type), { minLength: 2, maxLength: 4 })
        .map((items): Expr => ({ type, items })),
    ),
  ),
}));

const agg: fc.Arbitrary<Agg> = fc
  .record({
    fn: fc.constantFrom('count', 'dc', 'min', 'max', 'avg', 'sum') as fc.Arbitrary<Agg['fn']>,
    field: fc.option(field.filter((f) => !/^(and|or|not)$/i.test(f)), { nil: undefined }),
    alias: fc.option(fc.constantFrom('n', 'users', '_x1', 'Total'), { nil: undefined }),
  })
  .map(({ fn, field, alias }) => {
    const a: Agg = { fn: field === undefined ? 'count' : fn };
    if (field !== undefined) a.field = field;
    if (alias !== undefined) a.alias = alias;
    return a;
  });

const sortField = fc.oneof(field, fc.constantFrom('count()', 'dc(user.name)', 'n'));
const pipe: fc.Arbitrary<Pipe> = fc.oneof(
  fc.record({ aggs: fc.array(agg, { minLength: 1, maxLength: 3 }), by: fc.array(field, { maxLength: 2 }) }).map((r): Pipe => ({ type: 'stats', ...r })),
  fc.array(fc.record({ field: sortField, desc: fc.boolean() }), { minLength: 1, maxLength: 3 }).map((keys): Pipe => ({ type: 'sort', keys })),
  fc.nat(1000).map((n): Pipe => ({ type: 'head', n })),
  fc.array(field, { minLength: 1, maxLength: 3 }).map((fields): Pipe => ({ type: 'fields', fields })),
);

test('property: generated trees print and parse back unchanged', () => {
  fc.assert(
    fc.property(fc.record({ filter: expr, pipes: fc.array(pipe, { maxLength: 3 }) }), (generated: Query) => {
      const query = structuredClone(generated); // plain prototypes (fc.record makes null-prototype objects)
      const printed = printQuery(query);
      assert.deepEqual(parseQuery(printed), query, printed);
    }),
    { numRuns: 3000 },
  );
});
