// The condition grammar: one table of parse cases feeds the precedence, printing and round-trip tests;
// errors carry their column; name resolution (phase two) expands `x of` and refuses unknown names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ConditionError, parseCondition, printCondition, resolveCondition, type CondAst } from './condition.js';
import { RuleInvalid, RuleUnsupported } from './errors.js';

/** Condition text -> the tree fully parenthesised (what precedence made of it). */
const CASES: [string, string][] = [
  ['selection', 'selection'],
  ['a and b', '(a and b)'],
  ['a or b and c', '(a or (b and c))'],
  ['a and b or c', '((a and b) or c)'],
  ['not a and b', '((not a) and b)'],
  ['not a or b', '((not a) or b)'],
  ['not (a or b)', '(not (a or b))'],
  ['a and not b and not c', '((a and (not b)) and (not c))'],
  ['(a or b) and c', '((a or b) and c)'],
  ['a or b or c', '((a or b) or c)'],
  ['not not a', '(not (not a))'],
  ['1 of selection*', '1 of selection*'],
  ['all of selection_* and not 1 of filter*', '(all of selection_* and (not 1 of filter*))'],
  ['1 of them', '1 of them'],
  ['all of them', 'all of them'],
  ['any of sel*', '1 of sel*'],
  ['2 of sel*', '2 of sel*'],
  ['not 1 of filter_* and sel', '((not 1 of filter_*) and sel)'],
  ['(((a)))', 'a'],
  ['A AND NOT b', '(A and (not b))'],
  ['selection-main and filter.x', '(selection-main and filter.x)'],
];

function paren(e: CondAst): string {
  switch (e.t) {
    case 'or':
    case 'and':
      return `(${paren(e.a)} ${e.t} ${paren(e.b)})`;
    case 'not':
      return `(not ${paren(e.x)})`;
    case 'id':
      return e.name;
    case 'of':
      return `${e.count} of ${e.pattern}`;
  }
}

test('precedence: or < and < not < x of < parentheses', () => {
  for (const [src, want] of CASES) assert.equal(paren(parseCondition(src)), want, src);
});

test('print -> parse gives the same tree, for every case', () => {
  for (const [src] of CASES) {
    const tree = parseCondition(src);
    assert.equal(paren(parseCondition(printCondition(tree))), paren(tree), src);
  }
});

const astArb: fc.Arbitrary<CondAst> = fc.letrec<{ node: CondAst }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('sel', 'filter_a', 'x1').map((name): CondAst => ({ t: 'id', name, pos: 0 })),
    fc.record({ count: fc.constantFrom<number | 'all'>(1, 'all', 2), pattern: fc.constantFrom('sel*', 'them') }).map(
      ({ count, pattern }): CondAst => ({ t: 'of', count, pattern, them: pattern === 'them', pos: 0 }),
    ),
    tie('node').map((x): CondAst => ({ t: 'not', x })),
    fc.tuple(tie('node'), tie('node')).map(([a, b]): CondAst => ({ t: 'and', a, b })),
    fc.tuple(tie('node'), tie('node')).map(([a, b]): CondAst => ({ t: 'or', a, b })),
  ),
})).node;

test('property: printing any tree and parsing it back gives the same tree', () => {
  fc.assert(
    fc.property(astArb, (tree) => {
      assert.equal(paren(parseCondition(printCondition(tree))), paren(tree));
    }),
    { numRuns: 500 },
  );
});

function errorAt(src: string): [string, number] {
  try {
    parseCondition(src);
  } catch (e) {
    if (e instanceof ConditionError) return [e.message, e.pos];
    throw e;
  }
  throw new Error(`no error for ${src}`);
}

test('syntax errors say what was expected, and where', () => {
  assert.deepEqual(errorAt('a and'), ["expected a search identifier, 'not', 'x of' or '(', found the end of the condition at column 6", 5]);
  assert.deepEqual(errorAt('a b'), ["expected 'and', 'or' or the end of the condition, found 'b' at column 3", 2]);
  assert.deepEqual(errorAt('(a or b'), ["expected ')' to close the '(' at column 1, found the end of the condition at column 8", 7]);
  assert.deepEqual(errorAt('and a'), ["expected a search identifier, found the keyword 'and' at column 1", 0]);
  assert.deepEqual(errorAt('a or )'), ["expected a search identifier, 'not', 'x of' or '(', found ')' at column 6", 5]);
  assert.deepEqual(errorAt('1 of'), ["expected 'them' or an identifier pattern after '1 of', found the end of the condition at column 5", 4]);
  assert.deepEqual(errorAt('all of and'), ["expected 'them' or an identifier pattern after 'all of', found 'and' at column 8", 7]);
  assert.deepEqual(errorAt('0 of sel*'), ["'0 of' never matches at column 1", 0]);
  assert.deepEqual(errorAt(''), ["expected a search identifier, 'not', 'x of' or '(', found the end of the condition at column 1", 0]);
});

test('legacy aggregations and near are unsupported, not syntax errors', () => {
  assert.throws(() => parseCondition('selection | count() by host > 5'), RuleUnsupported);
  assert.throws(() => parseCondition('a near b'), RuleUnsupported);
});

const NAMES = ['selection_img', 'selection_cli', 'filter_main', 'filter_optional', '_helper', 'keywords'];
function resolved(src: string): unknown {
  return resolveCondition(parseCondition(src), NAMES, src);
}

test('x of: patterns and them expand to the identifiers they name; them skips _names', () => {
  assert.deepEqual(resolved('all of selection_*'), { t: 'and', xs: [{ t: 'ref', name: 'selection_img' }, { t: 'ref', name: 'selection_cli' }] });
  assert.deepEqual(resolved('1 of filter_*'), { t: 'or', xs: [{ t: 'ref', name: 'filter_main' }, { t: 'ref', name: 'filter_optional' }] });
  assert.deepEqual(
    (resolved('1 of them') as { xs: { name: string }[] }).xs.map((x) => x.name),
    NAMES.filter((n) => !n.startsWith('_')),
  );
  assert.deepEqual(resolved('1 of keyw*'), { t: 'ref', name: 'keywords' });
  assert.deepEqual(resolved('2 of selection_*'), { t: 'atleast', n: 2, xs: [{ t: 'ref', name: 'selection_img' }, { t: 'ref', name: 'selection_cli' }] });
  // Chains flatten.
  assert.deepEqual(resolved('keywords or _helper or filter_main'), {
    t: 'or',
    xs: [{ t: 'ref', name: 'keywords' }, { t: 'ref', name: '_helper' }, { t: 'ref', name: 'filter_main' }],
  });
});

test('unknown identifiers and empty patterns are errors with their column', () => {
  assert.throws(
    () => resolved('selection_img and not filtr'),
    (e: unknown) => e instanceof RuleInvalid && e.reason.includes("unknown search identifier 'filtr'") && e.reason.includes('at column 23'),
  );
  assert.throws(() => resolved('keywords and 1 of flt*'), (e: unknown) => e instanceof RuleInvalid && e.reason.includes("'flt*' names no search identifier") && e.reason.includes('at column 14'));
  assert.throws(() => resolved('3 of selection_*'), (e: unknown) => e instanceof RuleInvalid && e.reason.includes('more than the 2'));
});
