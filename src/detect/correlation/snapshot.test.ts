import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BRUTE, engine, feed, m, user, type Doc } from './fixtures/stream.js';
import type { MatchInput } from './types.js';

const RULES: Doc[] = [
  BRUTE,
  {
    title: 'Spray',
    id: 'c-spray',
    correlation: { type: 'value_count', rules: ['failed_login'], 'group-by': ['source.ip'], timespan: '10m', condition: { field: 'user.name', gte: 3 } },
  },
  {
    title: 'Failed then ok',
    id: 'c-then-ok',
    correlation: { type: 'temporal_ordered', rules: ['c-brute', 'successful_login'], 'group-by': ['user.name'], timespan: '15m', generate: true },
  },
  {
    title: 'Recon',
    id: 'c-recon',
    correlation: { type: 'temporal', rules: ['recon_a', 'recon_b', 'recon_c'], 'group-by': ['user.name'], timespan: '5m' },
  },
  {
    title: 'Big transfers',
    id: 'c-p90',
    correlation: { type: 'value_percentile', rules: ['transfer'], 'group-by': ['user.name'], timespan: '30m', condition: { field: 'bytes', percentile: 90, gte: 800 } },
  },
];

/** A deterministic mixed stream: four users, two tenants, mostly in order. */
function stream(n: number, seed: number): MatchInput[] {
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const rules = ['r-fail', 'r-fail', 'r-fail', 'r-ok', 'r-a', 'r-b', 'r-c', 'r-xfer'];
  const out: MatchInput[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += rnd() * 0.8;
    const u = ['alice', 'bob', 'carol', 'dave'][Math.floor(rnd() * 4)]!;
    const doc = user(u, { source: { ip: `10.0.0.${Math.floor(rnd() * 2)}` }, bytes: Math.floor(rnd() * 1000) });
    out.push(m(rules[Math.floor(rnd() * rules.length)]!, t - (rnd() < 0.1 ? rnd() * 2 : 0), doc, { tenant: rnd() < 0.5 ? 't1' : 't2', eventId: `ev${i}` }));
  }
  return out;
}

describe('snapshot and restore', () => {
  it('a restart midway through windows gives the same firings as an uninterrupted run', () => {
    for (const seed of [1, 2, 3]) {
      const events = stream(600, seed);
      const whole = feed(engine(RULES), events);
      assert.ok(whole.length > 10, `the stream fires (${whole.length})`);
      for (const cut of [1, 37, 150, 301, 599]) {
        const before = engine(RULES);
        const first = feed(before, events.slice(0, cut));
        const saved = JSON.parse(JSON.stringify(before.snapshot())) as unknown;
        const after = engine(RULES);
        const r = after.restore(saved);
        assert.equal(r.dropped, 0);
        assert.equal(after.stateSize(), before.stateSize());
        const rest = feed(after, events.slice(cut));
        assert.deepEqual([...first, ...rest], whole, `seed ${seed}, restart after ${cut} events`);
      }
    }
  });

  it('keeps the quiet period across a restart', () => {
    const e = engine([BRUTE]);
    assert.equal(feed(e, [0, 1, 2, 3, 4].map((t) => m('r-fail', t, user('alice')))).length, 1);
    const e2 = engine([BRUTE]);
    e2.restore(JSON.parse(JSON.stringify(e.snapshot())));
    assert.deepEqual(feed(e2, [m('r-fail', 5, user('alice'))]), [], 'still within the timespan of the firing');
  });

  it('drops the groups of a correlation whose definition changed, and of one that is gone', () => {
    const e = engine([BRUTE, RULES[3]!]);
    feed(e, [m('r-fail', 0, user('alice')), m('r-a', 0, user('alice'))]);
    const changed = { ...BRUTE, correlation: { ...(BRUTE.correlation as object), condition: { gte: 2 } } };
    const e2 = engine([changed]);
    assert.deepEqual(e2.restore(JSON.parse(JSON.stringify(e.snapshot()))), { restored: 0, dropped: 2 });
    assert.deepEqual(feed(e2, [m('r-fail', 1, user('alice'))]), [], 'counting starts again under the new rule');
  });

  it('ignores a snapshot it does not understand', () => {
    const e = engine([BRUTE]);
    feed(e, [m('r-fail', 0, user('alice'))]);
    assert.deepEqual(e.restore({ version: 99, groups: [] }), { restored: 0, dropped: 0 });
    assert.deepEqual(e.restore('garbage'), { restored: 0, dropped: 0 });
    assert.equal(e.stateSize(), 0);
    const bad = { version: 1, seq: 1, rules: { 'c-brute': 'x' }, groups: [['c-brute', 't1', 'not-a-list', 0, null, []], 'junk'] };
    assert.deepEqual(e.restore(bad), { restored: 0, dropped: 2 });
  });

  it('is plain JSON, and a restored engine snapshots the same', () => {
    const e = engine(RULES);
    feed(e, stream(200, 9));
    const s = e.snapshot();
    const text = JSON.stringify(s);
    const e2 = engine(RULES);
    e2.restore(JSON.parse(text));
    assert.equal(JSON.stringify(e2.snapshot()), text);
  });
});
