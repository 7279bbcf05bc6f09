// temporal: which of the correlation's rules matched in one group's window, in any order. Presence in
// the window only depends on each rule's latest match, so that is all that is kept: memory is one
// entry per referenced rule, whatever the event rate.
import { loadSample, recentIds, savedList, type Evidence, type Sample, type WindowState } from './sample.js';

interface Seen {
  t: number;
  s: number;
  ids: string[];
}

export class TemporalWindow implements WindowState {
  private readonly latest: (Seen | undefined)[];

  constructor(rules: number, saved?: unknown) {
    this.latest = new Array<Seen | undefined>(rules).fill(undefined);
    savedList(saved).forEach((v, i) => {
      const x = loadSample(v);
      if (x && i < rules) this.latest[i] = { t: x.t, s: x.s, ids: x.ids };
    });
  }

  add(x: Sample): void {
    const prev = this.latest[x.rule];
    if (prev && (prev.t > x.t || (prev.t === x.t && prev.s > x.s))) return;
    this.latest[x.rule] = { t: x.t, s: x.s, ids: x.ids };
  }

  prune(cutoff: number): void {
    for (let i = 0; i < this.latest.length; i++) if (this.latest[i] && this.latest[i]!.t < cutoff) this.latest[i] = undefined;
  }

  measure(): number {
    return this.size();
  }

  evidence(): Evidence {
    const seen = this.latest.filter((x): x is Seen => x !== undefined).sort((a, b) => a.t - b.t || a.s - b.s);
    return { first: seen[0]?.t ?? NaN, last: seen[seen.length - 1]?.t ?? NaN, ids: recentIds([...seen].reverse()) };
  }

  size(): number {
    let n = 0;
    for (const x of this.latest) if (x) n++;
    return n;
  }

  save(): unknown {
    return this.latest.map((x) => (x ? [x.t, x.s, x.ids] : null));
  }
}
