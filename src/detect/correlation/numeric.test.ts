import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engine, feed, m, minutes } from './fixtures/stream.js';
import { NumericWindow, percentile } from './numeric-window.js';

const agg = (type: string, condition: Record<string, unknown>): Record<string, unknown> => ({
  title: `Transfer ${type}`,
  id: `c-${type}`,
  correlation: { type, rules: ['transfer'], 'group-by': ['host.name'], timespan: '1h', condition: { field: 'source.bytes', ...condition } },
});
const bytes = (host: string, n: unknown): Record<string, unknown> => ({ host: { name: host }, source: { bytes: n } });

describe('value_sum, value_avg, value_percentile, value_median', () => {
  it('value_sum fires when the bytes in the window pass the bound', () => {
    const e = engine([agg('value_sum', { gt: 1000 })]);
    const fs = feed(e, [400, 300, 200, 150, 900].map((n, i) => m('r-xfer', i * 10, bytes('db1', n))));
    assert.deepEqual(minutes(fs), [30]);
    assert.equal(fs[0]!.value, 1050);
  });

  it('value_sum forgets bytes older than the timespan', () => {
    const e = engine([agg('value_sum', { gt: 1000 })]);
    assert.deepEqual(feed(e, [600, 600].map((n, i) => m('r-xfer', i * 61, bytes('db1', n)))), []);
  });

  it('value_avg compares the mean', () => {
    const e = engine([agg('value_avg', { gte: 100 })]);
    const out = [50, 100, 150, 300].map((n, i) => e.onMatch(m('r-xfer', i, bytes('h', n))).map((f) => f.value));
    assert.deepEqual(out, [[], [], [100], []]);
  });

  it('value_percentile fires on the percentile, not the maximum', () => {
    const e = engine([agg('value_percentile', { percentile: 90, gte: 500 })]);
    // One outlier among ten small transfers: the 90th percentile stays low.
    const small = Array.from({ length: 10 }, (_, i) => m('r-xfer', i, bytes('h', 10 + i)));
    assert.deepEqual(feed(e, [...small, m('r-xfer', 10, bytes('h', 5000))]), []);
    // A second large transfer: two of twelve values are large, and the 90th percentile crosses 500.
    const fs = feed(e, [m('r-xfer', 11, bytes('h', 900))]);
    assert.deepEqual(minutes(fs), [11]);
    assert.equal(fs[0]!.value, percentile([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 5000, 900], 90));
    assert.ok(fs[0]!.value > 500 && fs[0]!.value < 900);
  });

  it('value_median is the 50th percentile', () => {
    const e = engine([agg('value_median', { gt: 20 })]);
    const out = [10, 30, 40].map((n, i) => e.onMatch(m('r-xfer', i, bytes('h', n))).map((f) => f.value));
    assert.deepEqual(out, [[], [], [30]]);
  });

  it('reads numeric text and skips what is not a number', () => {
    const e = engine([agg('value_sum', { gte: 30 })]);
    const fs = feed(e, [m('r-xfer', 0, bytes('h', '10')), m('r-xfer', 1, bytes('h', 'lots')), m('r-xfer', 2, bytes('h', [20]))]);
    assert.deepEqual(fs.map((f) => f.value), [30]);
    assert.equal(e.stats().skipped, 1);
  });

  it('aggregates the most recent maxEventsPerWindow events when a window floods', () => {
    const e = engine([agg('value_sum', { gte: 1_000_000 })], { maxEventsPerWindow: 3 });
    feed(e, [1, 2, 3, 4, 5].map((n, i) => m('r-xfer', i, bytes('h', n))));
    const snap = e.snapshot() as { groups: unknown[][] };
    assert.deepEqual(
      (snap.groups[0]![5] as unknown[][]).map((x) => x[3]),
      [3, 4, 5],
    );
  });

  it('percentile interpolates between ranks', () => {
    assert.equal(percentile([1, 2, 3, 4], 50), 2.5);
    assert.equal(percentile([4, 1, 3, 2], 100), 4);
    assert.equal(percentile([4, 1, 3, 2], 0), 1);
    assert.equal(percentile([7], 90), 7);
    assert.ok(Number.isNaN(percentile([], 50)));
  });

  it('the kept-sorted percentile agrees with sorting the window each time (random samples, expiry, cap)', () => {
    let seed = 3;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const p of [0, 50, 90, 99, 100]) {
      const w = new NumericWindow(40, { kind: 'percentile', p });
      let kept: { t: number; x: number }[] = [];
      for (let i = 0; i < 2000; i++) {
        const t = i;
        const x = Math.floor(rnd() * 50) - 10;
        w.prune(t - 60);
        kept = kept.filter((k) => k.t >= t - 60);
        w.add({ t, s: i, ids: [], rule: 0, x });
        kept.push({ t, x });
        if (kept.length > 40) kept.shift();
        assert.equal(
          w.measure(),
          percentile(
            kept.map((k) => k.x),
            p,
          ),
          `p${p} at ${i}`,
        );
      }
    }
  });
});
