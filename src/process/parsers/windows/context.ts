// What the per-channel mappings (security, sysmon, powershell, dns-server, …) share: the event being
// mapped, the document being built and the requirement/principle IDs it evidences.
import { setPath, type EcsDoc, type EcsValue } from '../../../core/event.js';
import type { WinEvent, WinValue } from './event.js';

export interface MapContext {
  ev: WinEvent;
  doc: EcsDoc;
  /** The event ID as a decimal string. */
  id: string;
  data: Record<string, WinValue>;
  requirements: Set<string>;
  principles: Set<string>;
}

/** Sets a dotted path unless the value is undefined or an empty list. */
export function put(doc: EcsDoc, path: string, value: EcsValue | undefined): void {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return;
  setPath(doc, path, value);
}

export function tag(ctx: MapContext, requirements: readonly string[], principles: readonly string[]): void {
  for (const r of requirements) ctx.requirements.add(r);
  for (const p of principles) ctx.principles.add(p);
}

/** event.category/type/action in one call. */
export function categorise(doc: EcsDoc, category: string[] | undefined, type: string[] | undefined, action: string): void {
  put(doc, 'event.category', category);
  put(doc, 'event.type', type);
  put(doc, 'event.action', action);
}
