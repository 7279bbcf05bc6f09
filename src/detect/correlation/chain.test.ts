import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CorrelationEngine } from './engine.js';
import { BASE_RULES, engine, feed, m, minutes, rule, user } from './fixtures/stream.js';
import { ruleResolver } from './resolve.js';

// The specification's example: many failed logins, then a successful login of the same user.
const MANY_FAILED = {
  title: 'Multiple failed logons',
  id: 'c-many-failed',
  name: 'multiple_failed_login',
  correlation: { type: 'event_count', rules: ['failed_login'], 'group-by': ['user.name'], timespan: '10m', condition: { gte: 3 } },
};
const THEN_SUCCESS = {
  title: 'Multiple failed logins followed by successful login',
  id: 'c-then-success',
  level: 'high',
  correlation: { type: 'temporal_ordered', rules: ['multiple_failed_login', 'successful_login'], 'group-by': ['user.name'], timespan: '10m' },
};

describe('chaining', () => {
  it('feeds an inner correlation’s firings to the outer one', () => {
    const e = engine([THEN_SUCCESS, MANY_FAILED]);
    const fs = feed(e, [
      m('r-fail', 0, user('alice'), { eventId: 'f1' }),
      m('r-fail', 1, user('alice'), { eventId: 'f2' }),
      m('r-fail', 2, user('alice'), { eventId: 'f3' }),
      m('r-ok', 3, user('alice'), { eventId: 'ok' }),
    ]);
    assert.deepEqual(
      fs.map((f) => f.correlationId),
      ['c-then-success'],
      'the inner correlation is not an alert: the outer has generate: false',
    );
    assert.equal(fs[0]!.level, 'high');
    assert.deepEqual(fs[0]!.groupBy, { 'user.name': 'alice' });
    assert.deepEqual(fs[0]!.eventIds, ['f1', 'f2', 'f3', 'ok'], 'the inner firing brings its events');
    assert.deepEqual(minutes(fs), [3]);
  });

  it('does not fire when the success comes before the failures, or for another user', () => {
    const e = engine([THEN_SUCCESS, MANY_FAILED]);
    assert.deepEqual(feed(e, [m('r-ok', 0, user('alice')), ...[1, 2, 3].map((t) => m('r-fail', t, user('alice')))]), []);
    assert.deepEqual(feed(e, [m('r-ok', 4, user('bob'))]), []);
  });

  it('generate: false suppresses the referenced rules’ own alerts; other rules still alert', () => {
    const e = engine([THEN_SUCCESS, MANY_FAILED]);
    assert.equal(e.generatesBaseAlerts('r-fail'), false);
    assert.equal(e.generatesBaseAlerts('r-ok'), false);
    assert.equal(e.generatesBaseAlerts('c-many-failed'), false);
    assert.equal(e.generatesBaseAlerts('r-other'), true);
    assert.equal(e.generatesBaseAlerts('c-then-success'), true);
  });

  it('generate: true keeps the referenced rules’ alerts, including an inner correlation’s firings', () => {
    const outer = { ...THEN_SUCCESS, correlation: { ...THEN_SUCCESS.correlation, generate: true } };
    const e = engine([outer, MANY_FAILED]);
    assert.equal(e.generatesBaseAlerts('r-ok'), true);
    assert.equal(e.generatesBaseAlerts('r-fail'), false, 'only the inner correlation (generate: false) uses it');
    const fs = feed(e, [...[0, 1, 2].map((t) => m('r-fail', t, user('alice'))), m('r-ok', 3, user('alice'))]);
    assert.deepEqual(
      fs.map((f) => f.correlationId),
      ['c-many-failed', 'c-then-success'],
    );
  });

  it('a rule used by a generate: true correlation alerts even if another correlation says false', () => {
    const alone = { title: 'Any success', id: 'c-any-ok', correlation: { type: 'event_count', rules: ['r-ok'], timespan: '1m', condition: { gte: 1 }, generate: true } };
    const e = engine([THEN_SUCCESS, MANY_FAILED, alone]);
    assert.equal(e.generatesBaseAlerts('r-ok'), true);
  });

  it('counts an inner correlation’s firings (event_count over event_count)', () => {
    const inner = { ...MANY_FAILED, correlation: { ...MANY_FAILED.correlation, timespan: '1m' } };
    const outer = {
      title: 'Repeated bursts',
      id: 'c-bursts',
      correlation: { type: 'event_count', rules: ['c-many-failed'], 'group-by': ['user.name'], timespan: '1h', condition: { gte: 2 } },
    };
    const e = engine([outer, inner]);
    // Bursts of three failures at 0, 10 and 20 minutes: the inner fires three times, the outer at the second.
    const stream = [0, 10, 20].flatMap((start) => [0, 0.1, 0.2].map((d) => m('r-fail', start + d, user('alice'))));
    const fs = feed(e, stream);
    assert.deepEqual(minutes(fs), [10.2]);
    assert.equal(fs[0]!.value, 2);
    assert.equal(fs[0]!.eventIds.length, 6);
  });

  it('reports broken references and cycles, and runs the rest', () => {
    const rules = [
      rule({ title: 'Loop A', id: 'loop-a', correlation: { type: 'event_count', rules: ['loop-b'], timespan: '1m', condition: { gte: 1 } } }),
      rule({ title: 'Loop B', id: 'loop-b', correlation: { type: 'event_count', rules: ['loop-a'], timespan: '1m', condition: { gte: 1 } } }),
      rule({ title: 'Missing', id: 'missing', correlation: { type: 'event_count', rules: ['no_such_rule'], timespan: '1m', condition: { gte: 1 } } }),
      rule({ title: 'On missing', id: 'on-missing', correlation: { type: 'temporal', rules: ['missing', 'r-ok'], timespan: '1m' } }),
      rule({ title: 'Bad alias', id: 'bad-alias', correlation: { type: 'temporal', rules: ['r-a', 'r-b'], 'group-by': ['x'], timespan: '1m', aliases: { x: { 'r-c': 'host.name' } } } }),
      rule(MANY_FAILED),
    ];
    const e = new CorrelationEngine(rules, ruleResolver(BASE_RULES));
    const reasons = Object.fromEntries(e.errors.map((x) => [x.id, x.reason]));
    assert.match(reasons['loop-a'] ?? reasons['loop-b'] ?? '', /cycle/);
    assert.match(reasons['missing']!, /no rule or correlation has id or name 'no_such_rule'/);
    assert.match(reasons['on-missing']!, /refers to correlation 'missing', which is not running/);
    assert.match(reasons['bad-alias']!, /alias 'x' maps 'r-c', which is not one of correlation.rules/);
    assert.equal(reasons['c-many-failed'], undefined);
    assert.equal(feed(e, [0, 1, 2].map((t) => m('r-fail', t, user('alice')))).length, 1);
    assert.equal(e.generatesBaseAlerts('r-a'), true, 'a rule only a disabled correlation uses still alerts');
  });
});
