import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BRUTE, engine, feed, m, MIN, minutes, T0, user } from './fixtures/stream.js';

describe('event_count', () => {
  it('fires once at the 5th failure in 5 minutes, not again at the 6th', () => {
    const e = engine([BRUTE]);
    const stream = [0, 1, 2, 3, 4, 4.5].map((t, i) => m('r-fail', t, user('alice'), { eventId: `f${i}` }));
    const out = stream.map((x) => e.onMatch(x));
    assert.deepEqual(
      out.map((f) => f.length),
      [0, 0, 0, 0, 1, 0],
    );
    const f = out[4]![0]!;
    assert.equal(f.correlationId, 'c-brute');
    assert.equal(f.title, 'Brute force');
    assert.equal(f.level, 'high');
    assert.deepEqual(f.tags, ['attack.credential-access']);
    assert.equal(f.tenant, 't1');
    assert.deepEqual(f.groupBy, { 'user.name': 'alice' });
    assert.equal(f.value, 5);
    assert.deepEqual(f.eventIds, ['f0', 'f1', 'f2', 'f3', 'f4']);
    assert.equal(f.firstEventTime, T0);
    assert.equal(f.lastEventTime, T0 + 4 * MIN);
    assert.equal(f.windowEnd, T0 + 4 * MIN);
    assert.equal(f.windowStart, T0 - MIN);
  });

  it('does not fire for failures spread over 10 minutes', () => {
    const e = engine([BRUTE]);
    assert.deepEqual(feed(e, [0, 2.5, 5, 7.5, 10].map((t) => m('r-fail', t, user('alice')))), []);
  });

  it('counts both ends of the window: first and last exactly one timespan apart', () => {
    const e = engine([BRUTE]);
    assert.deepEqual(minutes(feed(e, [0, 1.25, 2.5, 3.75, 5].map((t) => m('r-fail', t, user('alice'))))), [5]);
  });

  it('never combines different users, or the same user in different tenants', () => {
    const e = engine([BRUTE]);
    const stream = [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5].map((t, i) => m('r-fail', t, user(i % 2 ? 'bob' : 'alice')));
    stream.push(...[0, 1, 2].map((t) => m('r-fail', t, user('alice'), { tenant: 't2' })));
    assert.deepEqual(feed(e, stream), []);
    const f = feed(e, [m('r-fail', 3.8, user('alice'))]);
    assert.deepEqual(
      f.map((x) => [x.tenant, x.groupBy['user.name']]),
      [['t1', 'alice']],
    );
  });

  it('is quiet for one timespan after firing, then fires on a fresh window (a steady stream alerts every ~timespan)', () => {
    const e = engine([BRUTE]);
    const stream = Array.from({ length: 20 }, (_, t) => m('r-fail', t, user('alice')));
    const fs = feed(e, stream);
    // 4: first five. Quiet until an event after 4 + 5 = 9; at 10 the window [5, 10] holds six.
    assert.deepEqual(minutes(fs), [4, 10, 16]);
    // No event backs two firings.
    const ids = fs.flatMap((f) => f.eventIds);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('does not fire again right after the quiet period unless the condition holds on its own events', () => {
    const e = engine([BRUTE]);
    const fs = feed(e, [
      ...[0, 1, 2, 3, 4].map((t) => m('r-fail', t, user('alice'))),
      ...[9.5, 10, 11].map((t) => m('r-fail', t, user('alice'))),
    ]);
    assert.deepEqual(minutes(fs), [4]);
  });

  it('counts a slightly late event inside the window, drops one older than the window', () => {
    const e = engine([BRUTE]);
    const late = feed(e, [0, 1, 2, 4, 3].map((t) => m('r-fail', t, user('alice'))));
    assert.deepEqual(minutes(late), [4], 'the late 3-minute event completes the five');
    assert.equal(late[0]!.lastEventTime, T0 + 4 * MIN);

    const e2 = engine([BRUTE]);
    feed(e2, [10, 11, 12, 13].map((t) => m('r-fail', t, user('bob'))));
    assert.deepEqual(feed(e2, [m('r-fail', 4, user('bob'))]), [], 'six minutes older than the newest');
    assert.equal(e2.stats().late, 1);
  });

  it('skips events without the group-by field', () => {
    const e = engine([BRUTE]);
    assert.deepEqual(feed(e, [0, 1, 2, 3, 4].map((t) => m('r-fail', t, { source: { ip: '10.0.0.1' } }))), []);
    assert.equal(e.stats().skipped, 5);
    assert.equal(e.stateSize(), 0);
  });

  it('without group-by, counts every event of the tenant together', () => {
    const raw = { ...BRUTE, correlation: { type: 'event_count', rules: ['r-fail'], timespan: '5m', condition: { gte: 3 } } };
    const e = engine([raw]);
    const fs = feed(e, ['a', 'b', 'c'].map((u, i) => m('r-fail', i, user(u))));
    assert.deepEqual(minutes(fs), [2]);
    assert.deepEqual(fs[0]!.groupBy, {});
  });

  it('fires when a range condition is entered', () => {
    const raw = { ...BRUTE, correlation: { ...(BRUTE.correlation as object), condition: { gt: 2, lte: 4 } } };
    const e = engine([raw]);
    const out = [0, 1, 2, 3].map((t) => e.onMatch(m('r-fail', t, user('alice'))).map((f) => f.value));
    assert.deepEqual(out, [[], [], [3], []]);
  });

  it('counts several rules together', () => {
    const raw = { ...BRUTE, correlation: { ...(BRUTE.correlation as object), rules: ['failed_login', 'r-500'], condition: { gte: 3 } } };
    const e = engine([raw]);
    const fs = feed(e, [m('r-fail', 0, user('a')), m('r-500', 1, user('a')), m('r-other', 1.5, user('a')), m('r-fail', 2, user('a'))]);
    assert.deepEqual(minutes(fs), [2]);
  });

  it('agrees with a naive count over every kept event (random streams, some out of order)', () => {
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let fired = 0;
    for (let run = 0; run < 30; run++) {
      const threshold = 1 + Math.floor(rnd() * 6);
      const raw = { ...BRUTE, correlation: { ...(BRUTE.correlation as object), condition: { gte: threshold } } };
      const e = engine([raw]);
      const naive = new Map<string, { newest: number; times: number[]; firedAt: number | null }>();
      let clock = 0;
      for (let i = 0; i < 200; i++) {
        clock += rnd() * 1.5;
        const t = Math.round((clock - (rnd() < 0.2 ? rnd() * 6 : 0)) * MIN); // some events up to 6 min late
        const u = rnd() < 0.5 ? 'alice' : 'bob';
        const got = e.onMatch({ tenant: 't', ruleId: 'r-fail', time: t, eventId: `x${i}`, doc: user(u) });

        let g = naive.get(u);
        let expect: number | undefined;
        if (!g) naive.set(u, (g = { newest: t, times: [], firedAt: null }));
        if (t >= g.newest - 5 * MIN) {
          g.newest = Math.max(g.newest, t);
          g.times.push(t);
          const cut = g.newest - 5 * MIN;
          g.times = g.times.filter((x) => x >= cut);
          const quiet = g.firedAt !== null && g.newest <= g.firedAt + 5 * MIN;
          if (!quiet && g.times.length >= threshold) {
            g.firedAt = g.newest;
            expect = Math.min(g.times.length, 100);
            fired++;
          }
        }
        assert.deepEqual(
          got.map((f) => f.value),
          expect === undefined ? [] : [expect],
          `run ${run} event ${i}`,
        );
      }
    }
    assert.ok(fired > 100, `the streams fire (${fired})`);
  });
});
