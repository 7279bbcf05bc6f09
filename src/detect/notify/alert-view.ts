// An alert as the API returns it and as notifications carry it: one shape everywhere.
import type { EcsDoc } from '../../core/event.js';
import { isoText } from '../../store/schema.js';

export interface AlertView {
  id: string;
  tenant: string;
  rule: { id: string; title: string; kind: 'rule' | 'correlation'; level: string; tags: string[] };
  /** ATT&CK technique ids from the rule's tags (attack.t1110 -> T1110). */
  attack: string[];
  group_by: Record<string, string>;
  first_time: string;
  last_time: string;
  created_at: string;
  updated_at: string;
  count: number;
  event_ids: string[];
  sample: EcsDoc | null;
}

/** The alerts table's columns as alertView reads them; `t` qualifies them (`a` for `alerts a`). */
export function alertColumns(t = 'alerts'): string {
  const ts = (c: string) => `${isoText(`${t}.${c}`)} AS ${c}`;
  const plain = ['id', 'tenant', 'rule_id', 'rule_title', 'rule_kind', 'level', 'tags', 'group_by', 'count', 'event_ids', 'sample'].map((c) => `${t}.${c}`);
  return [...plain, ts('first_time'), ts('last_time'), ts('created_at'), ts('updated_at')].join(', ');
}

function json<T>(v: unknown, fallback: T): T {
  if (v === null || v === undefined) return fallback;
  if (typeof v === 'string') {
    try {
      return JSON.parse(v) as T;
    } catch {
      return fallback;
    }
  }
  return v as T;
}

export function alertView(r: Record<string, unknown>): AlertView {
  const tags = (r.tags as string[] | null) ?? [];
  return {
    id: String(r.id),
    tenant: String(r.tenant),
    rule: { id: String(r.rule_id), title: String(r.rule_title), kind: r.rule_kind === 'correlation' ? 'correlation' : 'rule', level: String(r.level), tags },
    attack: tags.filter((t) => /^attack\.t\d{4}(\.\d{3})?$/i.test(t)).map((t) => t.slice(7).toUpperCase()),
    group_by: json<Record<string, string>>(r.group_by, {}),
    first_time: String(r.first_time),
    last_time: String(r.last_time),
    created_at: String(r.created_at),
    updated_at: String(r.updated_at),
    count: Number(r.count),
    event_ids: (r.event_ids as string[] | null) ?? [],
    sample: json<EcsDoc | null>(r.sample, null),
  };
}
