// What every correlation type's window has in common: samples in, a measure out (the number the
// condition is tested against), the evidence behind it, and a JSON form for snapshots.
import type { Timed } from './time-deque.js';

/** One event (or one inner correlation's firing) as a window sees it. */
export interface Sample extends Timed {
  ids: string[];
  /** Which of the correlation's rules it matched (index into correlation.rules). */
  rule: number;
  /** value_count: the counted field's value. */
  key?: string;
  /** value_sum/avg/percentile/median: the field's number. */
  x?: number;
}

export interface Evidence {
  first: number;
  last: number;
  /** At most MAX_IDS, oldest first. */
  ids: string[];
}

export interface WindowState {
  add(x: Sample): void;
  /** Forgets what is older than cutoff (event time, ms). */
  prune(cutoff: number): void;
  measure(): number;
  evidence(): Evidence;
  /** Items held; 0 means the window is empty. */
  size(): number;
  save(): unknown;
}

export const MAX_IDS = 100;

/** The ids of the newest samples, up to MAX_IDS, oldest first. */
export function recentIds(newestFirst: Iterable<{ ids: string[] }>): string[] {
  const out: string[] = [];
  for (const x of newestFirst) {
    for (let i = x.ids.length - 1; i >= 0 && out.length < MAX_IDS; i--) out.push(x.ids[i]!);
    if (out.length >= MAX_IDS) break;
  }
  return out.reverse();
}

/** A saved sample: [t, s, ids, extra]. Returns undefined for anything else, so a bad snapshot is dropped, not trusted. */
export function loadSample(v: unknown): { t: number; s: number; ids: string[]; extra: unknown } | undefined {
  if (!Array.isArray(v) || v.length < 3) return undefined;
  const [t, s, ids, extra] = v as unknown[];
  if (typeof t !== 'number' || typeof s !== 'number' || !Array.isArray(ids) || !ids.every((i) => typeof i === 'string')) return undefined;
  return { t, s, ids: ids as string[], extra };
}

export function savedList(saved: unknown): unknown[] {
  return Array.isArray(saved) ? saved : [];
}
