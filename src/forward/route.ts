// Which events an output takes: its tenants (all when none are named) and its query filter, compiled
// once with the same in-memory evaluator the classifier uses. Vigil's own platform audit is forwarded
// only when `_platform` is named, never by default.
import type { EcsDoc } from '../core/event.js';
import { parseQuery } from '../ql/parser.js';
import { compilePredicate, type FieldKind } from '../ql/predicate.js';
import { HOT_BY_FIELD } from '../store/schema.js';
import { PLATFORM_TENANT } from '../config/schema.js';


export type Route = (tenant: string, doc: EcsDoc) => boolean;

const kindOf = (field: string): FieldKind | undefined => HOT_BY_FIELD.get(field)?.kind;

/** Throws an Error naming the problem when the filter does not parse or uses pipes. */
export function compileRoute(tenants: readonly string[] | undefined, filter: string | undefined): Route {
  const only = tenants && tenants.length ? new Set(tenants) : null;
  const tenantOk = only ? (t: string) => only.has(t) : (t: string) => t !== PLATFORM_TENANT;
  if (filter === undefined || filter.trim() === '') return tenantOk;
  const q = parseQuery(filter);
  if (q.pipes.length) throw new Error('a filter selects events; pipes (| stats, | head ...) are not allowed');
  const match = compilePredicate(q.filter, { kindOf });
  return (t, doc) => tenantOk(t) && match(doc);
}
