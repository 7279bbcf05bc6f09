// temporal_ordered: each rule's matches in one group's window, so that an in-order chain (rule 1, then
// rule 2, … by event time, ties by arrival) can be looked for even when an event arrives late. The
// chain is found greedily: the earliest match of rule 1, then the earliest match of rule 2 after it,
// and so on; taking the earliest at each step never loses a chain that exists. The measure is how many
// leading rules such a chain covers (all of them is the default condition).
import { loadSample, recentIds, savedList, type Evidence, type Sample, type WindowState } from './sample.js';
import { TimeDeque, type Timed } from './time-deque.js';

interface Item {
  t: number;
  s: number;
  ids: string[];
}

export class OrderedWindow implements WindowState {
  private readonly byRule: TimeDeque<Item>[];

  constructor(
    rules: number,
    private readonly cap: number,
    saved?: unknown,
  ) {
    this.byRule = Array.from({ length: rules }, () => new TimeDeque<Item>());
    savedList(saved).forEach((list, r) => {
      if (r >= rules) return;
      for (const v of savedList(list)) {
        const x = loadSample(v);
        if (x) this.keep(r, { t: x.t, s: x.s, ids: x.ids });
      }
    });
  }

  add(x: Sample): void {
    this.keep(x.rule, { t: x.t, s: x.s, ids: x.ids });
  }

  prune(cutoff: number): void {
    for (const d of this.byRule) d.pruneBefore(cutoff);
  }

  measure(): number {
    return this.chain().length;
  }

  evidence(): Evidence {
    const chain = this.chain();
    return { first: chain[0]?.t ?? NaN, last: chain[chain.length - 1]?.t ?? NaN, ids: recentIds([...chain].reverse()) };
  }

  size(): number {
    let n = 0;
    for (const d of this.byRule) n += d.size;
    return n;
  }

  save(): unknown {
    return this.byRule.map((d) => d.toArray().map((x) => [x.t, x.s, x.ids]));
  }

  private chain(): Item[] {
    const out: Item[] = [];
    let after: Timed | undefined;
    for (const d of this.byRule) {
      let next: Item | undefined;
      for (const x of d) {
        if (!after || x.t > after.t || (x.t === after.t && x.s > after.s)) {
          next = x;
          break;
        }
      }
      if (!next) break;
      out.push(next);
      after = next;
    }
    return out;
  }

  private keep(rule: number, x: Item): void {
    const d = this.byRule[rule];
    if (!d) return;
    d.insert(x);
    while (d.size > this.cap) d.shift();
  }
}
