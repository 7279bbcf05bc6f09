// Streaming evaluation of Sigma correlation rules over detection-rule matches. Pure: no clock, no I/O;
// event time is the only time, and state leaves only through snapshot().
//
// Semantics (tests in this folder hold each of these):
// - State is kept per tenant + correlation + group-by values: a "group", with its own window.
// - The window slides over event time: it holds the group's events with time >= newest − timespan
//   (both ends inclusive, so "5 in 5m" means first and last at most 5 minutes apart).
// - Out of order: an event older than its group's newest is still placed in time order and counted if
//   it falls inside the current window; older than that, it is dropped (counted in stats().late).
//   temporal_ordered judges order by event time, ties by arrival, so a late event can still complete a
//   chain. There is no reorder buffer: a late event never forms a window that ended in the past.
// - The condition is tested each time an event enters a group's window.
// - Firing: a group fires when its condition holds, then is quiet for one timespan: it fires again only
//   for an event more than one timespan after the firing (event time) if the condition holds then. By
//   that point every event of the earlier window has aged out, so no event backs two firings, and a
//   sustained attack alerts once per timespan per group rather than once per event.
// - Events missing a group-by field (or the counted/aggregated field, or a number for value_sum…) are
//   not counted, as a SIEM's `by` clause drops them (stats().skipped).
// - Chaining: a correlation's firing is an event for the correlations that reference it: its time is
//   the firing's windowEnd, its ids the firing's eventIds, and its fields the firing's group-by values
//   over the document of the event that made it fire.
// - generate: false (the default) means referenced rules do not alert on their own. onMatch only
//   returns firings that are alerts (an inner correlation of a generate:false chain is not one), and
//   generatesBaseAlerts() answers the same question for detection rules.
// - Memory: at most maxGroups groups (the least recently updated is evicted first; an evicted group
//   forgets its quiet period) and at most maxEventsPerWindow items per window. event_count and
//   value_count keep max(largest bound + 1, 100) items, which decides the condition exactly (so the
//   value reported is exact up to that many); temporal keeps one match per rule; temporal_ordered up
//   to maxEventsPerWindow matches per rule; value_sum/avg/percentile/median aggregate the most recent
//   maxEventsPerWindow events of the window. expire(now) drops groups whose window has emptied.
import { countNeeded, meets } from './condition.js';
import { identityPaths, readNumber, readText, type FieldPaths, type FieldSource } from './fields.js';
import { corrSource, ruleSource, wire, type Plan, type RuleResolver, type SourceKey, type Wiring } from './resolve.js';
import type { WindowState } from './sample.js';
import { NUMERIC_TYPES, type CorrelationError, type CorrelationFiring, type CorrelationRule, type MatchInput } from './types.js';
import { createWindow } from './window.js';

export interface EngineOptions {
  /** Live group windows kept at most, across tenants and correlations. */
  maxGroups?: number;
  /** Items one window keeps at most. */
  maxEventsPerWindow?: number;
  /** Where a rule's field names are read in the ECS document (default: the name is the dotted path). */
  fieldPaths?: FieldPaths;
}

export const DEFAULT_MAX_GROUPS = 100_000;
export const DEFAULT_MAX_EVENTS_PER_WINDOW = 10_000;
const SNAPSHOT_VERSION = 1;

interface Group {
  plan: Plan;
  tenant: string;
  values: string[];
  /** The newest event time seen. */
  newest: number;
  /** Event time of the last firing, or null. */
  firedAt: number | null;
  win: WindowState;
}

/** An input to correlations: a detection-rule match, or an inner correlation's firing. */
interface Feed extends FieldSource {
  tenant: string;
  source: SourceKey;
  time: number;
  ids: string[];
}

export interface EngineStats {
  groups: number;
  /** Groups dropped to stay under maxGroups. */
  evicted: number;
  /** Events older than their group's window. */
  late: number;
  /** Events missing a group-by or condition field. */
  skipped: number;
  /** Groups removed by expire(). */
  expired: number;
}

export class CorrelationEngine {
  /** Correlations that could not be set up (they do not run; the others do). */
  readonly errors: CorrelationError[];
  private readonly wiring: Wiring;
  private readonly maxGroups: number;
  private readonly maxItems: number;
  private readonly paths: FieldPaths;
  /** Insertion order is update order: the first entry is the least recently updated group. */
  private groups = new Map<string, Group>();
  private seq = 0;
  private readonly counts = { evicted: 0, late: 0, skipped: 0, expired: 0 };

  constructor(rules: readonly CorrelationRule[], resolver: RuleResolver, opts: EngineOptions = {}) {
    this.maxGroups = Math.max(1, opts.maxGroups ?? DEFAULT_MAX_GROUPS);
    this.maxItems = Math.max(1, opts.maxEventsPerWindow ?? DEFAULT_MAX_EVENTS_PER_WINDOW);
    this.paths = opts.fieldPaths ?? identityPaths;
    this.wiring = wire(rules, resolver, (r) => this.precheck(r));
    this.errors = this.wiring.errors;
  }

  /** Feeds one detection-rule match; returns the correlation alerts it completes. */
  onMatch(m: MatchInput): CorrelationFiring[] {
    const out: CorrelationFiring[] = [];
    this.feed({ tenant: m.tenant, source: ruleSource(m.ruleId), time: m.time, ids: [m.eventId], doc: m.doc }, out);
    return out;
  }

  /** Whether a detection rule's (or a correlation's) own matches are alerts; false when only generate:false correlations use it. */
  generatesBaseAlerts(ruleId: string): boolean {
    return this.wiring.generates(ruleSource(ruleId)) && this.wiring.generates(corrSource(ruleId));
  }

  /** Removes the groups with nothing left in a window ending at `now` (event time, ms); returns how many. */
  expire(now: number | ReadonlyMap<string, number>): number {
    // A map gives each tenant its own clock (its newest event time), so a tenant replaying old logs
    // does not lose its windows to another tenant's current ones.
    let n = 0;
    for (const [key, g] of this.groups) {
      const t = typeof now === 'number' ? now : now.get(g.tenant);
      if (t !== undefined && g.newest < t - g.plan.rule.timespanMs) {
        this.groups.delete(key);
        n++;
      }
    }
    this.counts.expired += n;
    return n;
  }

  stateSize(): number {
    return this.groups.size;
  }

  stats(): EngineStats {
    return { groups: this.groups.size, ...this.counts };
  }

  /** The engine's state as plain JSON, least recently updated group first. */
  snapshot(): unknown {
    const rules: Record<string, string> = {};
    for (const [id, p] of this.wiring.plans) rules[id] = fingerprint(p.rule);
    const groups = [...this.groups.values()].map((g) => [g.plan.rule.id, g.tenant, g.values, g.newest, g.firedAt, g.win.save()]);
    return { version: SNAPSHOT_VERSION, seq: this.seq, rules, groups };
  }

  /**
   * Replaces the state with a snapshot's. Groups of correlations that no longer run, or whose
   * correlation section changed since the snapshot, are dropped rather than evaluated under new rules.
   */
  restore(state: unknown): { restored: number; dropped: number } {
    this.groups = new Map();
    if (!isRecord(state) || state.version !== SNAPSHOT_VERSION || !Array.isArray(state.groups) || !isRecord(state.rules)) return { restored: 0, dropped: 0 };
    const rules = state.rules;
    if (typeof state.seq === 'number') this.seq = Math.max(this.seq, state.seq);
    let dropped = 0;
    for (const row of state.groups as unknown[]) {
      const g = this.loadGroup(row, rules);
      if (!g) {
        dropped++;
        continue;
      }
      this.groups.set(groupKey(g.tenant, g.plan.rule.id, g.values), g);
    }
    while (this.groups.size > this.maxGroups) this.evictOne();
    return { restored: this.groups.size, dropped };
  }

  private loadGroup(row: unknown, rules: Record<string, unknown>): Group | undefined {
    if (!Array.isArray(row) || row.length !== 6) return undefined;
    const [id, tenant, values, newest, firedAt, saved] = row as unknown[];
    if (typeof id !== 'string' || typeof tenant !== 'string' || typeof newest !== 'number') return undefined;
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) return undefined;
    if (firedAt !== null && typeof firedAt !== 'number') return undefined;
    const plan = this.wiring.plans.get(id);
    if (!plan || rules[id] !== fingerprint(plan.rule) || values.length !== (plan.rule.correlation['group-by'] ?? []).length) return undefined;
    const win = createWindow(plan.rule, { maxItems: this.maxItems }, saved);
    win.prune(newest - plan.rule.timespanMs);
    return { plan, tenant, values: values as string[], newest, firedAt, win };
  }

  private precheck(r: CorrelationRule): string | undefined {
    const c = r.correlation;
    if (c.type === 'event_count' || c.type === 'value_count') {
      const need = countNeeded(c.condition);
      if (need > this.maxItems) return `condition needs ${need} ${c.type === 'event_count' ? 'events' : 'values'} kept per window; maxEventsPerWindow is ${this.maxItems}`;
    }
    return undefined;
  }

  private feed(f: Feed, out: CorrelationFiring[]): void {
    const targets = this.wiring.consumers.get(f.source);
    if (!targets) return;
    for (const { plan, rule } of targets) this.step(plan, rule, f, out);
  }

  private step(plan: Plan, ruleIdx: number, f: Feed, out: CorrelationFiring[]): void {
    const r = plan.rule;
    const c = r.correlation;
    const aliases = plan.aliasFields[ruleIdx]!;
    const groupBy = c['group-by'] ?? [];
    const values: string[] = [];
    for (const name of groupBy) {
      const v = readText(f, aliases[name] ?? name, this.paths);
      if (v === undefined) return void this.counts.skipped++;
      values.push(v);
    }
    let key: string | undefined;
    let x: number | undefined;
    if (c.condition.field !== undefined) {
      const field = aliases[c.condition.field] ?? c.condition.field;
      if (c.type === 'value_count') key = readText(f, field, this.paths);
      else if (NUMERIC_TYPES.has(c.type)) x = readNumber(f, field, this.paths);
      if (key === undefined && x === undefined) return void this.counts.skipped++;
    }

    const ts = r.timespanMs;
    const gkey = groupKey(f.tenant, r.id, values);
    let g = this.groups.get(gkey);
    if (g) {
      if (f.time < g.newest - ts) return void this.counts.late++;
      this.groups.delete(gkey); // re-inserted below: moves to the most recently updated end
    } else {
      if (this.groups.size >= this.maxGroups) this.evictOne();
      g = { plan, tenant: f.tenant, values, newest: f.time, firedAt: null, win: createWindow(r, { maxItems: this.maxItems }) };
    }
    this.groups.set(gkey, g);
    if (f.time > g.newest) g.newest = f.time;
    g.win.prune(g.newest - ts);
    g.win.add({ t: f.time, s: ++this.seq, ids: f.ids, rule: ruleIdx, key, x });

    if (g.firedAt !== null && g.newest <= g.firedAt + ts) return; // quiet period after a firing
    const value = g.win.measure();
    if (!meets(c.condition, value)) return;
    g.firedAt = g.newest;

    const ev = g.win.evidence();
    const firing: CorrelationFiring = {
      correlationId: r.id,
      title: r.title,
      level: r.level,
      tags: [...r.tags],
      tenant: f.tenant,
      groupBy: Object.fromEntries(groupBy.map((name, i) => [name, values[i]!])),
      windowStart: g.newest - ts,
      windowEnd: g.newest,
      firstEventTime: ev.first,
      lastEventTime: ev.last,
      eventIds: ev.ids,
      value,
    };
    if (plan.reportable) out.push(firing);
    this.feed(
      { tenant: f.tenant, source: corrSource(r.id), time: firing.windowEnd, ids: firing.eventIds, doc: f.doc, fields: { ...f.fields, ...firing.groupBy } },
      out,
    );
  }

  private evictOne(): void {
    const oldest = this.groups.keys().next();
    if (oldest.done) return;
    this.groups.delete(oldest.value);
    this.counts.evicted++;
  }
}

function groupKey(tenant: string, correlationId: string, values: readonly string[]): string {
  return JSON.stringify([tenant, correlationId, values]);
}

/** What a group's state depends on: restoring it under a changed rule would count under the wrong rule. */
function fingerprint(r: CorrelationRule): string {
  return JSON.stringify(r.correlation);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
