import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCorrelation, parseCorrelations } from './parse.js';
import { parseTimespan } from './timespan.js';

type Doc = Record<string, unknown>;
const corr = (c: Doc, top: Doc = {}): Doc => ({ title: 'T', id: 'c1', ...top, correlation: c });
const EC = { type: 'event_count', rules: ['r1'], 'group-by': ['user.name'], timespan: '5m', condition: { gte: 5 } };

// Key lines as a loader would report them, so errors can be checked to point at the right line.
const LINES: Record<string, number> = { title: 2, level: 4, correlation: 5, 'correlation.type': 6, 'correlation.rules': 7, 'correlation.timespan': 9, 'correlation.condition': 10, 'correlation.aliases': 12 };
const parse = (raw: unknown) => parseCorrelation({ raw, file: 'rules/c.yml', line: 1, at: (p) => LINES[p] });

describe('parseCorrelation: valid rules', () => {
  it('reads every field of an event_count rule', () => {
    const r = parse({ ...corr({ ...EC, generate: true }), name: 'brute', level: 'high', tags: ['attack.t1110'] });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.rule, {
      id: 'c1',
      name: 'brute',
      title: 'T',
      level: 'high',
      tags: ['attack.t1110'],
      correlation: { type: 'event_count', rules: ['r1'], 'group-by': ['user.name'], timespan: '5m', condition: { gte: 5 }, generate: true },
      timespanMs: 300_000,
      file: 'rules/c.yml',
      line: 1,
    });
  });

  const valid: [string, Doc, Partial<Record<string, unknown>>][] = [
    ['value_count', { ...EC, type: 'value_count', condition: { field: 'user.name', gte: 100 } }, { condition: { field: 'user.name', gte: 100 } }],
    ['temporal without condition asks for all rules', { type: 'temporal', rules: ['a', 'b', 'c'], timespan: '1h' }, { condition: { gte: 3 } }],
    ['temporal_ordered with a condition', { type: 'temporal_ordered', rules: ['a', 'b'], timespan: '1d', condition: { gte: 2 } }, { condition: { gte: 2 } }],
    ['value_sum', { ...EC, type: 'value_sum', condition: { field: 'bytes', gt: 1.5e9 } }, { condition: { field: 'bytes', gt: 1.5e9 } }],
    ['value_avg', { ...EC, type: 'value_avg', condition: { field: 'bytes', gte: 10.5 } }, {}],
    ['value_percentile', { ...EC, type: 'value_percentile', condition: { field: 'ms', percentile: 95, gt: 200 } }, { condition: { field: 'ms', percentile: 95, gt: 200 } }],
    ['value_median', { ...EC, type: 'value_median', condition: { field: 'ms', gt: 200 } }, {}],
    ['a range', { ...EC, condition: { gt: 100, lte: 200 } }, { condition: { gt: 100, lte: 200 } }],
    ['one rule and one group-by field as plain strings', { ...EC, rules: 'r1', 'group-by': 'host.name' }, { rules: ['r1'], 'group-by': ['host.name'] }],
    ['no group-by', { type: 'event_count', rules: ['r1'], timespan: '30s', condition: { eq: 1 } }, { timespan: '30s' }],
    ['aliases', { type: 'temporal', rules: ['a', 'b'], 'group-by': ['ip'], timespan: '10s', aliases: { ip: { a: 'source.ip', b: 'destination.ip' } } }, { aliases: { ip: { a: 'source.ip', b: 'destination.ip' } } }],
  ];
  for (const [name, c, expect] of valid) {
    it(name, () => {
      const r = parse(corr(c));
      assert.deepEqual(r.errors, []);
      for (const [k, v] of Object.entries(expect)) assert.deepEqual((r.rule!.correlation as unknown as Doc)[k], v, k);
    });
  }

  it('defaults: level medium, no tags, id from name, else file:line with a warning', () => {
    const named = parse({ title: 'T', name: 'brute', correlation: EC });
    assert.equal(named.rule!.id, 'brute');
    assert.equal(named.rule!.level, 'medium');
    assert.deepEqual(named.rule!.tags, []);
    const anon = parse({ title: 'T', correlation: EC });
    assert.equal(anon.rule!.id, 'rules/c.yml:1');
    assert.match(anon.warnings[0]!.reason, /no id or name/);
  });

  it('warns about what it ignores or what will not behave as one might expect', () => {
    const r = parse(corr({ ...EC, extra: 1, condition: { lt: 5, field: 'x' }, aliases: { unused: { r1: 'f' } } }));
    assert.deepEqual(r.errors, []);
    const reasons = r.warnings.map((w) => w.reason);
    assert.ok(reasons.some((x) => /unknown key correlation.extra/.test(x)));
    assert.ok(reasons.some((x) => /condition.field is ignored by event_count/.test(x)));
    assert.ok(reasons.some((x) => /only an upper bound/.test(x)));
    assert.ok(reasons.some((x) => /alias 'unused' is not used/.test(x)));
  });
});

describe('parseCorrelation: errors', () => {
  const invalid: [string, unknown, RegExp, number][] = [
    ['not a mapping', ['x'], /must be a mapping/, 1],
    ['no title', { correlation: EC }, /no title/, 1],
    ['bad level', corr(EC, { level: 'urgent' }), /level 'urgent' is not one of/, 4],
    ['no correlation section', { title: 'T' }, /no correlation section/, 1],
    ['unknown type', corr({ ...EC, type: 'event_rate' }), /unknown correlation type 'event_rate'/, 6],
    ['no type', corr({ ...EC, type: undefined }), /no correlation.type/, 5],
    ['no rules', corr({ ...EC, rules: undefined }), /no correlation.rules/, 5],
    ['rules not a list', corr({ ...EC, rules: { a: 1 } }), /must be a list of rule ids or names/, 7],
    ['empty rules', corr({ ...EC, rules: [] }), /correlation.rules is empty/, 7],
    ['a rule listed twice', corr({ ...EC, rules: ['a', 'a'] }), /rule 'a' is listed twice/, 7],
    ['missing timespan', corr({ ...EC, timespan: undefined }), /no correlation.timespan/, 5],
    ['timespan with an unknown unit', corr({ ...EC, timespan: '5x' }), /unknown unit 'x'/, 9],
    ['timespan in months', corr({ ...EC, timespan: '1M' }), /months and years are not fixed durations/, 9],
    ['timespan as a number', corr({ ...EC, timespan: 300 }), /timespan must be a string/, 9],
    ['zero timespan', corr({ ...EC, timespan: '0m' }), /greater than zero/, 9],
    ['event_count without condition', corr({ ...EC, condition: undefined }), /event_count needs one/, 5],
    ['value_count without field', corr({ ...EC, type: 'value_count', condition: { gte: 3 } }), /value_count needs condition.field/, 10],
    ['value_sum without field', corr({ ...EC, type: 'value_sum', condition: { gte: 3 } }), /value_sum needs condition.field/, 10],
    ['a list of fields', corr({ ...EC, type: 'value_count', condition: { field: ['a', 'b'], gte: 3 } }), /list of fields .* not supported/, 10],
    ['value_percentile without percentile', corr({ ...EC, type: 'value_percentile', condition: { field: 'ms', gt: 1 } }), /needs condition.percentile/, 10],
    ['percentile out of range', corr({ ...EC, type: 'value_percentile', condition: { field: 'ms', percentile: 150, gt: 1 } }), /percentile must be a number from 0 to 100/, 10],
    ['condition without a bound', corr({ ...EC, condition: { field: 'x' } }), /has no bound/, 10],
    ['unknown condition key', corr({ ...EC, condition: { gte: 1, ne: 3 } }), /unknown condition key 'ne'/, 10],
    ['a fractional count', corr({ ...EC, condition: { gte: 2.5 } }), /whole number/, 10],
    ['a bound that is not a number', corr({ ...EC, condition: { gte: 'five' } }), /condition gte must be a number/, 10],
    ['condition not a mapping', corr({ ...EC, condition: [1] }), /must be a mapping/, 10],
    ['an extended condition expression', corr({ type: 'temporal', rules: ['a', 'b'], timespan: '1m', condition: 'a and b' }), /extended .* not supported/, 10],
    ['a temporal condition that can never hold', corr({ type: 'temporal', rules: ['a', 'b'], timespan: '1m', condition: { gte: 3 } }), /can never hold/, 10],
    ['aliases not a mapping', corr({ ...EC, aliases: ['x'] }), /aliases must be a mapping/, 12],
    ['an alias without fields', corr({ ...EC, aliases: { ip: { r1: 3 } } }), /alias 'ip' must map rule names to field names/, 12],
    ['generate not a boolean', corr({ ...EC, generate: 'yes' }), /generate must be true or false/, 5],
  ];
  for (const [name, raw, reason, line] of invalid) {
    it(name, () => {
      const r = parse(raw);
      assert.equal(r.rule, undefined);
      assert.ok(
        r.errors.some((e) => reason.test(e.reason)),
        r.errors.map((e) => e.reason).join('; '),
      );
      const e = r.errors.find((x) => reason.test(x.reason))!;
      assert.equal(e.line, line);
      assert.equal(e.file, 'rules/c.yml');
    });
  }

  it('reports every problem of a document, not just the first', () => {
    const r = parse(corr({ type: 'value_count', rules: [], timespan: '5q', condition: { gte: 1 } }, { level: 'x' }));
    assert.equal(r.errors.length, 4);
    assert.ok(r.errors.every((e) => e.id === 'c1' && e.title === 'T'));
  });

  it('parseCorrelations refuses a second rule with the same id', () => {
    const out = parseCorrelations([
      { raw: corr(EC), file: 'a.yml', line: 1 },
      { raw: corr(EC), file: 'b.yml', line: 3 },
    ]);
    assert.equal(out.rules.length, 1);
    assert.match(out.errors[0]!.reason, /id 'c1' is already used by a.yml:1/);
    assert.equal(out.errors[0]!.file, 'b.yml');
  });
});

describe('parseTimespan', () => {
  it('reads the spec units', () => {
    assert.deepEqual(['30s', '5m', '1h', '2d', '1w', '90m'].map(parseTimespan), [30_000, 300_000, 3_600_000, 172_800_000, 604_800_000, 5_400_000]);
  });
});
