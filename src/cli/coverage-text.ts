// One-line texts for coverage statuses and summaries, shared by the table and the HTML report.
import type { CoverageRow, Summary } from '../query/coverage.js';

export function summaryLine(s: Summary): string {
  return `met ${s.met}, partial ${s.partial}, missing ${s.missing}, inherited ${s.inherited}, not applicable ${s.not_applicable}` + (s.at_risk ? `, at risk ${s.at_risk}` : '');
}

/** The row's status with what qualifies it: where it is inherited from, why not applicable, at risk. */
export function statusText(x: CoverageRow): string {
  let s = x.status;
  if (x.at_risk) s += ' (at risk: sources silent)';
  if (x.status === 'inherited' && x.inherited_from) s += ` from ${x.inherited_from}`;
  else if (x.inherited_from) s += ` (also inherited from ${x.inherited_from})`;
  if (x.via.length) s += ` via ${x.via.join(' ')}`;
  return s;
}
