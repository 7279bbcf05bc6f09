// The searchable form of an alert: an ECS event of kind alert in the alert's tenant, so
// `vigil search 'event.kind:alert and rule.name:*brute*'` finds it beside the events that raised it.
import type { EcsDoc } from '../../core/event.js';
import type { AlertView } from './alert-view.js';

const SEVERITY: Record<string, number> = { informational: 21, low: 21, medium: 47, high: 73, critical: 99 };

export function alertEvent(a: AlertView): EcsDoc {
  return {
    '@timestamp': a.last_time,
    event: { kind: 'alert', action: a.rule.kind === 'correlation' ? 'correlation-match' : 'rule-match', dataset: 'vigil.alerts', severity: SEVERITY[a.rule.level] ?? 47, start: a.first_time, end: a.last_time },
    rule: { id: a.rule.id, name: a.rule.title, ruleset: 'sigma' },
    message: `${a.rule.title}: ${a.count} event(s)`,
    ...(a.attack.length ? { threat: { framework: 'MITRE ATT&CK', technique: { id: a.attack } } } : {}),
    tags: a.rule.tags,
    vigil: { alert: { id: a.id, level: a.rule.level, kind: a.rule.kind, count: a.count, group_by: a.group_by, event_ids: a.event_ids } },
  };
}
