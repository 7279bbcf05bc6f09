// What several sinks read from an event the same way: its time, its host, its raw text, and the JSON
// document an output sends. Events are shared with the store and the other outputs, so nothing here
// changes the event; the JSON document is a shallow copy.
import { asNumber, asText, getPath, isDoc, type EcsDoc } from '../../core/event.js';
import type { OutEvent } from '../sink.js';

/** A field as a non-empty string (numbers are written out), else undefined. */
export function text(doc: EcsDoc, path: string): string | undefined {
  return asText(getPath(doc, path));
}

/** A field as a finite number (numeric strings too), else undefined. */
export function num(doc: EcsDoc, path: string): number | undefined {
  return asNumber(getPath(doc, path));
}

/** The host the event is about: host.name, else host.hostname, else the observer that saw it. */
export function hostOf(doc: EcsDoc): string | undefined {
  return text(doc, 'host.name') ?? text(doc, 'host.hostname') ?? text(doc, 'observer.name') ?? text(doc, 'observer.hostname');
}

/** @timestamp in epoch milliseconds (an ISO string, or a number of epoch ms); else event.ingested; else now. */
export function timestampMs(doc: EcsDoc): number {
  for (const path of ['@timestamp', 'event.ingested']) {
    const v = getPath(doc, path);
    const ms = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
    if (Number.isFinite(ms)) return ms;
  }
  return Date.now();
}

/** @timestamp in epoch nanoseconds, keeping the sub-millisecond digits an ISO string may carry. */
export function timestampNs(doc: EcsDoc): bigint {
  const ms = timestampMs(doc);
  const ts = getPath(doc, '@timestamp');
  const frac = typeof ts === 'string' ? /[T ]\d\d:\d\d:\d\d\.(\d{4,9})/.exec(ts)?.[1] : undefined;
  const base = BigInt(Math.floor(ms)) * 1_000_000n;
  if (!frac || !Number.isFinite(Date.parse(ts as string))) return base;
  // Date.parse kept the first three digits; add the rest (micro- and nanoseconds).
  return base + BigInt(frac.slice(3).padEnd(6, '0'));
}

/** event.original when it holds text (a transform may have dropped it). */
export function originalOf(doc: EcsDoc): string | undefined {
  const v = getPath(doc, 'event.original');
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/**
 * The event as a JSON output sends it: the ECS document plus `vigil.tenant` and `vigil.id`, as
 * Vigil's search API shows them (a peer that holds many tenants' events needs to tell them apart).
 */
export function jsonDocument(e: OutEvent): EcsDoc {
  const vigil = isDoc(e.doc.vigil) ? e.doc.vigil : {};
  return { ...e.doc, vigil: { ...vigil, tenant: e.tenant, id: e.id } };
}

/** `original`: event.original (the document as JSON when it has none); `json`: the document. */
export type LineFormat = 'original' | 'json';

export function lineOf(e: OutEvent, format: LineFormat): string {
  return (format === 'original' ? originalOf(e.doc) : undefined) ?? JSON.stringify(jsonDocument(e));
}
