// The detect stage: every processed event is matched against the compiled Sigma rules (through the
// rule index), base-rule matches feed the correlation engine, and both raise alerts. An alert is
// deduplicated per tenant, rule and group: a repeat inside the dedup window updates it (count, last
// time, event ids) instead of raising another. What this returns is committed with the batch, so a
// replay after a crash recomputes the same alerts with the same ids (ids derive from the first event).
import { createHash } from 'node:crypto';
import { eventTimeMs, type EcsDoc } from '../core/event.js';
import type { AlertRow, DetectWrite, OutboxRow } from './types.js';
import { LEVEL_RANK, type Level } from './levels.js';
import type { FirstSeen, Sighting } from './first-seen.js';
import { DETECT_INPUT } from './inputs.js';
import type { CorrelationFiring } from './correlation/types.js';

/** A compiled detection rule as the sigma engine provides it (structural, so this file stays small). */
export interface DetectionRule {
  rule: { id: string; title: string; level: string; tags: string[]; name?: string };
  match(doc: EcsDoc): boolean;
}

export interface RuleMatcher {
  /** The rules that match this event. */
  matching(doc: EcsDoc): DetectionRule[];
}

export interface Correlator {
  onMatch(m: { tenant: string; ruleId: string; ruleName?: string | undefined; time: number; eventId: string; doc: EcsDoc }): CorrelationFiring[];
  generatesBaseAlerts(ruleId: string): boolean;
  snapshot(): unknown;
  /** Drops windows with nothing left in them, by each tenant's newest event time. */
  expire(now: ReadonlyMap<string, number>): number;
}

export interface Destination {
  /** `webhook:0`, `syslog:0`, `email:0`. */
  name: string;
  minLevel: Level;
}

export interface DetectorOptions {
  rules: RuleMatcher;
  correlator?: Correlator | undefined;
  dedupWindowMs: number;
  destinations: Destination[];
  firstSeen?: FirstSeen | undefined;
  /** Open alerts remembered for dedup; the least recently updated go first. */
  maxOpen?: number;
  /**
   * The correlation state is committed with a batch at most this often (its snapshot holds every live
   * window, so writing it with every batch cost more than detection itself). A crash loses at most this
   * much of the windows' contents; alerts themselves always commit with their batch.
   */
  stateIntervalMs?: number;
}

interface Open {
  row: AlertRow;
  lastMs: number;
}

const MAX_IDS = 100;

export class Detector {
  private readonly open = new Map<string, Open>();
  private readonly maxOpen: number;
  private stateDirty = false;
  private stateSavedAt = 0;

  constructor(private readonly o: DetectorOptions) {
    this.maxOpen = o.maxOpen ?? 50_000;
  }

  /** The correlation state if it changed since it was last committed (for a clean shutdown). */
  pendingState(): string | null {
    if (!this.o.correlator || !this.stateDirty) return null;
    this.stateDirty = false;
    return JSON.stringify(this.o.correlator.snapshot());
  }

  /** Open alerts from the store at start-up (those updated inside the dedup window). */
  restoreOpen(rows: AlertRow[]): void {
    for (const r of rows) this.open.set(dedupKey(r.tenant, r.rule_id, r.group_key), { row: r, lastMs: Date.parse(r.last_time) });
  }

  /** Runs detection over one batch, in event order. */
  run(events: readonly { tenant: string; id: bigint; doc: EcsDoc }[]): DetectWrite {
    const changed = new Map<string, AlertRow>();
    const outbox: OutboxRow[] = [];
    const sightings: Sighting[] = [];
    const now = Date.now();
    let correlated = false;
    const newest = new Map<string, number>();
    for (const e of events) {
      // Alerts come back through the queue as events: they are searchable, not detected on again.
      if ((e.doc.vigil as EcsDoc | undefined)?.input === DETECT_INPUT) continue;
      if (this.o.firstSeen) for (const s of this.o.firstSeen.mark(e.tenant, e.doc, now)) sightings.push(s);
      const matches = this.o.rules.matching(e.doc);
      if (matches.length === 0) continue;
      const time = eventTimeMs(e.doc);
      if (time > (newest.get(e.tenant) ?? -Infinity)) newest.set(e.tenant, time);
      const eventId = e.id.toString();
      for (const m of matches) {
        correlated ||= this.o.correlator !== undefined;
        const firings = this.o.correlator?.onMatch({ tenant: e.tenant, ruleId: m.rule.id, ruleName: m.rule.name, time, eventId, doc: e.doc }) ?? [];
        if (!this.o.correlator || this.o.correlator.generatesBaseAlerts(m.rule.id)) {
          this.raise(changed, outbox, {
            tenant: e.tenant,
            ruleId: m.rule.id,
            title: m.rule.title,
            kind: 'rule',
            level: m.rule.level,
            tags: m.rule.tags,
            group: {},
            first: time,
            last: time,
            eventIds: [eventId],
            count: 1,
            sample: e.doc,
          });
        }
        for (const f of firings) {
          this.raise(changed, outbox, {
            tenant: f.tenant,
            ruleId: f.correlationId,
            title: f.title,
            kind: 'correlation',
            level: f.level,
            tags: f.tags,
            group: f.groupBy,
            first: f.firstEventTime,
            last: f.lastEventTime,
            eventIds: f.eventIds,
            count: 1,
            sample: e.doc,
          });
        }
      }
    }
    // Without this, windows of groups never seen again stay until evicted: memory and the state snapshot grow.
    if (this.o.correlator && newest.size && this.o.correlator.expire(newest) > 0) correlated = true;
    const out: DetectWrite = { alerts: [...changed.values()], outbox, sightings };
    this.stateDirty ||= correlated;
    if (this.o.correlator && this.stateDirty && now - this.stateSavedAt >= (this.o.stateIntervalMs ?? 2000)) {
      out.state = { name: 'correlation', json: JSON.stringify(this.o.correlator.snapshot()) };
      this.stateDirty = false;
      this.stateSavedAt = now;
    }
    return out;
  }

  private raise(
    changed: Map<string, AlertRow>,
    outbox: OutboxRow[],
    a: { tenant: string; ruleId: string; title: string; kind: 'rule' | 'correlation'; level: string; tags: string[]; group: Record<string, string>; first: number; last: number; eventIds: string[]; count: number; sample: EcsDoc },
  ): void {
    const groupKey = Object.entries(a.group)
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const key = dedupKey(a.tenant, a.ruleId, groupKey);
    const open = this.open.get(key);
    if (open && a.last - open.lastMs <= this.o.dedupWindowMs && a.last >= open.lastMs - this.o.dedupWindowMs) {
      const r = open.row;
      r.count += a.count;
      if (a.last > Date.parse(r.last_time)) r.last_time = iso(a.last);
      if (a.first < Date.parse(r.first_time)) r.first_time = iso(a.first);
      for (const id of a.eventIds) addId(r.event_ids, id);
      r.created = changed.get(r.id)?.created ?? false;
      open.lastMs = Math.max(open.lastMs, a.last);
      this.open.delete(key); // re-insert: Map order is the eviction order
      this.open.set(key, open);
      changed.set(r.id, r);
      return;
    }
    const id = 'al_' + createHash('sha256').update(`${a.tenant}\u0000${a.ruleId}\u0000${groupKey}\u0000${a.eventIds[0] ?? a.first}`).digest('hex').slice(0, 24);
    const row: AlertRow = {
      id,
      tenant: a.tenant,
      rule_id: a.ruleId,
      rule_title: a.title,
      rule_kind: a.kind,
      level: a.level,
      tags: a.tags,
      group_key: groupKey,
      group_by: a.group,
      first_time: iso(a.first),
      last_time: iso(a.last),
      count: a.count,
      event_ids: keepIds(a.eventIds),
      sample: trimSample(a.sample),
      created: true,
    };
    this.open.set(key, { row, lastMs: a.last });
    if (this.open.size > this.maxOpen) this.open.delete(this.open.keys().next().value!);
    changed.set(id, row);
    // Deliveries are owed for new alerts only: an update is the suppression of a repeat.
    outbox.push({ id: `${id}/event`, alert_id: id, tenant: a.tenant, destination: 'event', payload: null });
    const rank = LEVEL_RANK[a.level as Level] ?? 0;
    for (const d of this.o.destinations) {
      if (rank >= LEVEL_RANK[d.minLevel]) outbox.push({ id: `${id}/${d.name}`, alert_id: id, tenant: a.tenant, destination: d.name, payload: null });
    }
  }
}

function dedupKey(tenant: string, ruleId: string, groupKey: string): string {
  return `${tenant}\u0000${ruleId}\u0000${groupKey}`;
}

/**
 * Adds an event id to an alert's list in place: the first MAX_IDS/2 stay, the rest roll over so the
 * latest are kept. A repeat of the newest id (a correlation re-reporting its window) is skipped.
 */
function addId(ids: string[], id: string): void {
  if (ids[ids.length - 1] === id) return;
  if (ids.length >= MAX_IDS) ids.splice(MAX_IDS / 2, 1);
  ids.push(id);
}

function keepIds(ids: string[]): string[] {
  // The first half and the latest half, when there are more than fit.
  return ids.length <= MAX_IDS ? ids : [...ids.slice(0, MAX_IDS / 2), ...ids.slice(-MAX_IDS / 2)];
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The sample event without its bulkiest parts (the raw bytes stay reachable through the event id). */
function trimSample(doc: EcsDoc): EcsDoc {
  const copy = structuredClone(doc);
  const event = copy.event as EcsDoc | undefined;
  if (event && typeof event.original === 'string' && event.original.length > 2048) event.original = event.original.slice(0, 2048) + '…';
  return copy;
}
