import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CorrelationEngine } from './engine.js';
import { BASE_RULES, BRUTE, engine, feed, m, rule, user } from './fixtures/stream.js';
import { ruleResolver } from './resolve.js';

const savedWindows = (e: CorrelationEngine): unknown[][] => (e.snapshot() as { groups: unknown[][] }).groups.map((g) => g[5] as unknown[]);

describe('bounded memory', () => {
  it('keeps at most maxGroups groups, evicting the least recently updated', () => {
    const e = engine([BRUTE], { maxGroups: 3 });
    feed(e, [m('r-fail', 0, user('a')), m('r-fail', 0.1, user('b')), m('r-fail', 0.2, user('c')), m('r-fail', 0.3, user('a'))]);
    feed(e, [m('r-fail', 0.4, user('d'))]); // b is the least recently updated
    assert.equal(e.stateSize(), 3);
    assert.equal(e.stats().evicted, 1);
    const held = (e.snapshot() as { groups: unknown[][] }).groups.map((g) => (g[2] as string[])[0]);
    assert.deepEqual(held, ['c', 'a', 'd']);
    // a kept its two events: three more fire it.
    assert.equal(feed(e, [1, 2, 3].map((t) => m('r-fail', t, user('a')))).length, 1);
  });

  it('stays within maxGroups under a flood of distinct users', () => {
    const e = engine([BRUTE], { maxGroups: 100 });
    for (let i = 0; i < 10_000; i++) e.onMatch(m('r-fail', i / 1000, user(`u${i}`)));
    assert.equal(e.stateSize(), 100);
    assert.equal(e.stats().evicted, 9_900);
  });

  it('expire(now) removes groups with nothing left in the window', () => {
    const e = engine([BRUTE, { ...BRUTE, id: 'c-long', correlation: { ...(BRUTE.correlation as object), timespan: '1h' } }]);
    feed(e, [m('r-fail', 0, user('a')), m('r-fail', 3, user('b'))]);
    assert.equal(e.stateSize(), 4);
    const T = (min: number): number => m('r-x', min).time;
    assert.equal(e.expire(T(5)), 0, 'a at 0 is still in a window ending at 5');
    assert.equal(e.expire(T(6)), 1, 'a has aged out of the 5-minute rule');
    assert.equal(e.expire(T(9)), 1);
    assert.equal(e.stateSize(), 2, 'the one-hour rule still holds both');
    assert.equal(e.expire(T(64)), 2);
    assert.equal(e.stats().expired, 4);
  });

  it('a counting window keeps max(largest bound + 1, 100) events, however many arrive', () => {
    const e = engine([{ ...BRUTE, correlation: { ...(BRUTE.correlation as object), condition: { gte: 500 } } }], { maxEventsPerWindow: 1000 });
    for (let i = 0; i < 2000; i++) e.onMatch(m('r-fail', i / 1000, user('a')));
    assert.equal(savedWindows(e)[0]!.length, 501);
    const small = engine([BRUTE]);
    for (let i = 0; i < 2000; i++) small.onMatch(m('r-fail', i / 1000, user('a')));
    assert.equal(savedWindows(small)[0]!.length, 100);
  });

  it('a value_count window keeps a bounded number of distinct values', () => {
    const spray = {
      title: 'Spray',
      id: 'c-spray',
      correlation: { type: 'value_count', rules: ['failed_login'], 'group-by': ['source.ip'], timespan: '1h', condition: { field: 'user.name', gte: 10_000 } },
    };
    const e = engine([spray], { maxEventsPerWindow: 20_000 });
    for (let i = 0; i < 30_000; i++) e.onMatch(m('r-fail', i / 1000, { source: { ip: 'h' }, user: { name: `u${i}` } }));
    assert.equal(savedWindows(e)[0]!.length, 10_001);
  });

  it('a temporal_ordered window keeps at most maxEventsPerWindow matches per rule', () => {
    const ordered = { title: 'O', id: 'c-o', correlation: { type: 'temporal_ordered', rules: ['r-a', 'r-b'], timespan: '1h' } };
    const e = engine([ordered], { maxEventsPerWindow: 50 });
    for (let i = 0; i < 500; i++) e.onMatch(m('r-a', i / 100, {}));
    assert.equal((savedWindows(e)[0]![0] as unknown[]).length, 50);
    assert.equal(feed(e, [m('r-b', 6, {})]).length, 1);
  });

  it('refuses a counting rule whose bound needs more than maxEventsPerWindow', () => {
    const e = new CorrelationEngine([rule({ ...BRUTE, correlation: { ...(BRUTE.correlation as object), condition: { gte: 50 } } })], ruleResolver(BASE_RULES), { maxEventsPerWindow: 10 });
    assert.match(e.errors[0]!.reason, /condition needs 51 events kept per window; maxEventsPerWindow is 10/);
    assert.deepEqual(feed(e, Array.from({ length: 60 }, (_, i) => m('r-fail', i / 100, user('a')))), []);
  });
});
