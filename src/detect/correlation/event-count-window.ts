// event_count: the events of one group in the window, as a time-ordered deque. Only the newest
// max(largest bound + 1, MAX_IDS) are kept: with (largest bound + 1) in the window every bound of the
// condition is decided (see countNeeded), and MAX_IDS more give the firing its event ids. The count is
// exact up to that many; beyond it the window is full and the count reads as that number.
import { countNeeded } from './condition.js';
import { loadSample, MAX_IDS, recentIds, savedList, type Evidence, type Sample, type WindowState } from './sample.js';
import { TimeDeque } from './time-deque.js';
import type { CorrelationCondition } from './types.js';

interface Item {
  t: number;
  s: number;
  ids: string[];
}

export class EventCountWindow implements WindowState {
  private readonly items = new TimeDeque<Item>();
  private readonly cap: number;

  constructor(maxItems: number, cond: CorrelationCondition, saved?: unknown) {
    this.cap = Math.max(1, Math.min(maxItems, Math.max(countNeeded(cond), MAX_IDS)));
    for (const v of savedList(saved)) {
      const x = loadSample(v);
      if (x) this.keep({ t: x.t, s: x.s, ids: x.ids });
    }
  }

  add(x: Sample): void {
    this.keep({ t: x.t, s: x.s, ids: x.ids });
  }

  prune(cutoff: number): void {
    this.items.pruneBefore(cutoff);
  }

  measure(): number {
    return this.items.size;
  }

  evidence(): Evidence {
    return { first: this.items.first()?.t ?? NaN, last: this.items.last()?.t ?? NaN, ids: recentIds(this.items.newest()) };
  }

  size(): number {
    return this.items.size;
  }

  save(): unknown {
    return this.items.toArray().map((x) => [x.t, x.s, x.ids]);
  }

  private keep(x: Item): void {
    this.items.insert(x);
    while (this.items.size > this.cap) this.items.shift();
  }
}
