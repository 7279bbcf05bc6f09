// A batch as Loki streams: the label set of each event (from the configured fields), and entries
// grouped per stream in time order. Label-set text and the JSON and protobuf bodies are
// src/wire/loki-push.ts, shared with the Loki input.
import { getPath } from '../../core/event.js';
import type { OutEvent } from '../sink.js';
import type { LokiStream } from '../../wire/loki-push.js';

/** `event.dataset` -> `event_dataset`: Loki's label names are letters, digits and "_". */
export function labelName(path: string): string {
  const name = path.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** Loki refuses label values past 2048 bytes (validation.max_label_value_length); cut well below. */
const MAX_LABEL_VALUE = 1024;

export function labelsOf(e: OutEvent, o: { labels: string[]; static_labels: Record<string, string> }): Record<string, string> {
  const out: Record<string, string> = { ...o.static_labels };
  for (const path of o.labels) {
    const v = path === 'tenant' ? e.tenant : getPath(e.doc, path);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
    const s = String(v);
    if (s !== '') out[labelName(path)] = s.slice(0, MAX_LABEL_VALUE);
  }
  // Loki refuses a stream without labels.
  if (Object.keys(out).length === 0) out.service_name = 'vigil';
  return out;
}

export interface LokiPart {
  tenant: string;
  key: string;
  labels: Record<string, string>;
  ns: bigint;
  line: string;
}

/** Groups entries into streams, each in time order (stable for equal times). */
export function streamsOf(parts: LokiPart[]): LokiStream[] {
  const byKey = new Map<string, LokiStream & { entries: { ns: bigint; line: string }[] }>();
  for (const p of parts) {
    let s = byKey.get(p.key);
    if (!s) byKey.set(p.key, (s = { labels: p.labels, entries: [] }));
    s.entries.push({ ns: p.ns, line: p.line });
  }
  for (const s of byKey.values()) s.entries.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
  return [...byKey.values()];
}
