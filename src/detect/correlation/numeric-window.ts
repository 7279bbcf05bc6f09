// value_sum, value_avg, value_percentile and value_median: the numbers of one group's window, time
// ordered, with a running sum and, for percentiles, the same numbers kept sorted (an insert or removal
// is a binary search and a memmove, so a percentile costs no sort per event). Unlike counts, these need every value in the window, so the window
// keeps at most maxItems values and drops the oldest beyond that: the aggregate is then over the most
// recent maxItems events (a stated approximation that keeps memory bounded under floods).
import { loadSample, recentIds, savedList, type Evidence, type Sample, type WindowState } from './sample.js';
import { TimeDeque } from './time-deque.js';

interface Item {
  t: number;
  s: number;
  ids: string[];
  x: number;
}

export type Aggregate = { kind: 'sum' } | { kind: 'avg' } | { kind: 'percentile'; p: number };

export class NumericWindow implements WindowState {
  private readonly items = new TimeDeque<Item>();
  private sum = 0;
  /** The window's numbers in ascending order; only for percentiles. */
  private readonly sorted: number[] | undefined;

  constructor(
    private readonly cap: number,
    private readonly agg: Aggregate,
    saved?: unknown,
  ) {
    this.sorted = agg.kind === 'percentile' ? [] : undefined;
    for (const v of savedList(saved)) {
      const x = loadSample(v);
      if (x && typeof x.extra === 'number' && Number.isFinite(x.extra)) this.keep({ t: x.t, s: x.s, ids: x.ids, x: x.extra });
    }
  }

  add(x: Sample): void {
    if (x.x !== undefined) this.keep({ t: x.t, s: x.s, ids: x.ids, x: x.x });
  }

  prune(cutoff: number): void {
    this.items.pruneBefore(cutoff, (i) => this.drop(i));
  }

  measure(): number {
    const n = this.items.size;
    if (n === 0) return NaN;
    switch (this.agg.kind) {
      case 'sum':
        return this.sum;
      case 'avg':
        return this.sum / n;
      case 'percentile':
        return percentileOfSorted(this.sorted!, this.agg.p);
    }
  }

  evidence(): Evidence {
    return { first: this.items.first()?.t ?? NaN, last: this.items.last()?.t ?? NaN, ids: recentIds(this.items.newest()) };
  }

  size(): number {
    return this.items.size;
  }

  save(): unknown {
    return this.items.toArray().map((i) => [i.t, i.s, i.ids, i.x]);
  }

  private keep(i: Item): void {
    this.items.insert(i);
    this.sum += i.x;
    if (this.sorted) this.sorted.splice(lowerBound(this.sorted, i.x), 0, i.x);
    while (this.items.size > this.cap) this.drop(this.items.shift()!);
  }

  private drop(i: Item): void {
    this.sum -= i.x;
    if (this.sorted) this.sorted.splice(lowerBound(this.sorted, i.x), 1);
    // Start again from zero when empty, so rounding left by adding and removing floats does not build up.
    if (this.items.size === 0) this.sum = 0;
  }
}

/** Linear interpolation between the closest ranks (numpy's default, Excel's PERCENTILE.INC). */
export function percentile(xs: readonly number[], p: number): number {
  return percentileOfSorted(
    [...xs].sort((a, b) => a - b),
    p,
  );
}

function percentileOfSorted(v: readonly number[], p: number): number {
  if (v.length === 0) return NaN;
  const h = ((v.length - 1) * p) / 100;
  const lo = Math.floor(h);
  const a = v[lo]!;
  const b = v[Math.min(lo + 1, v.length - 1)]!;
  return a + (h - lo) * (b - a);
}

/** The first index whose value is >= x. */
function lowerBound(v: readonly number[], x: number): number {
  let lo = 0;
  let hi = v.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
