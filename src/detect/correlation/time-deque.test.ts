import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TimeDeque } from './time-deque.js';

describe('TimeDeque', () => {
  it('keeps time order (ties by arrival) and agrees with a sorted array under random use', () => {
    let seed = 42;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const d = new TimeDeque<{ t: number; s: number }>();
    let naive: { t: number; s: number }[] = [];
    let s = 0;
    let now = 0;
    for (let i = 0; i < 5000; i++) {
      const op = rnd();
      if (op < 0.6) {
        now += Math.floor(rnd() * 3);
        const x = { t: now - (rnd() < 0.2 ? Math.floor(rnd() * 10) : 0), s: ++s };
        d.insert(x);
        naive.push(x);
        naive.sort((a, b) => a.t - b.t || a.s - b.s);
      } else if (op < 0.8) {
        const cut = now - 20;
        const dropped: number[] = [];
        d.pruneBefore(cut, (x) => dropped.push(x.s));
        assert.deepEqual(
          dropped,
          naive.filter((x) => x.t < cut).map((x) => x.s),
        );
        naive = naive.filter((x) => x.t >= cut);
      } else {
        assert.equal(d.shift(), naive.shift());
      }
      assert.equal(d.size, naive.length);
      assert.equal(d.first(), naive[0]);
      assert.equal(d.last(), naive[naive.length - 1]);
    }
    assert.deepEqual(d.toArray(), naive);
    assert.deepEqual([...d.newest()], [...naive].reverse());
  });
});
