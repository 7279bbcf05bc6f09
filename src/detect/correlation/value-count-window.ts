// value_count: the distinct values of a field in one group's window, each with the time it was last
// seen. A value seen again moves forward in time; rather than finding and moving its old entry, the
// time order keeps a stale entry that is skipped when it reaches the front (and compacted away when
// stale entries outnumber live ones). Only the most recently seen max(largest bound + 1, MAX_IDS) values
// are kept, which decides the condition exactly, as for event_count.
import { countNeeded } from './condition.js';
import { loadSample, MAX_IDS, recentIds, savedList, type Evidence, type Sample, type WindowState } from './sample.js';
import { TimeDeque } from './time-deque.js';
import type { CorrelationCondition } from './types.js';

interface Seen {
  t: number;
  s: number;
  ids: string[];
}

interface Mark {
  t: number;
  s: number;
  key: string;
}

export class ValueCountWindow implements WindowState {
  private readonly latest = new Map<string, Seen>();
  private order = new TimeDeque<Mark>();
  private readonly cap: number;

  constructor(maxItems: number, cond: CorrelationCondition, saved?: unknown) {
    this.cap = Math.max(1, Math.min(maxItems, Math.max(countNeeded(cond), MAX_IDS)));
    for (const v of savedList(saved)) {
      const x = loadSample(v);
      if (x && typeof x.extra === 'string') this.see(x.extra, { t: x.t, s: x.s, ids: x.ids });
    }
  }

  add(x: Sample): void {
    if (x.key !== undefined) this.see(x.key, { t: x.t, s: x.s, ids: x.ids });
  }

  prune(cutoff: number): void {
    this.order.pruneBefore(cutoff, (m) => this.forget(m));
  }

  measure(): number {
    return this.latest.size;
  }

  evidence(): Evidence {
    const seen = [...this.latest.values()].sort((a, b) => a.t - b.t || a.s - b.s);
    return { first: seen[0]?.t ?? NaN, last: seen[seen.length - 1]?.t ?? NaN, ids: recentIds(seen.reverse()) };
  }

  size(): number {
    return this.latest.size;
  }

  save(): unknown {
    return [...this.latest].map(([key, v]) => [v.t, v.s, v.ids, key]);
  }

  private see(key: string, v: Seen): void {
    const prev = this.latest.get(key);
    // A late duplicate says nothing new: the value was already seen more recently.
    if (prev && (prev.t > v.t || (prev.t === v.t && prev.s >= v.s))) return;
    this.latest.set(key, v);
    this.order.insert({ t: v.t, s: v.s, key });
    while (this.latest.size > this.cap) {
      const m = this.order.shift();
      if (!m) break;
      this.forget(m);
    }
    if (this.order.size > 2 * this.latest.size + 32) this.compact();
  }

  /** Drops the value if this mark is its latest sighting; a stale mark is just discarded. */
  private forget(m: Mark): void {
    const cur = this.latest.get(m.key);
    if (cur && cur.t === m.t && cur.s === m.s) this.latest.delete(m.key);
  }

  private compact(): void {
    this.order = new TimeDeque([...this.latest].map(([key, v]) => ({ t: v.t, s: v.s, key })));
  }
}
