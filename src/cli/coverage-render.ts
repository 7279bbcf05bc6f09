// `vigil coverage` output: a table for people, CSV for spreadsheets, JSON as the API returns it, and a
// standalone HTML report (coverage-html.ts) for auditors.
import type { CoverageReport, CoverageRow } from '../query/coverage.js';
import { statusText, summaryLine } from './coverage-text.js';
import { csvCell, renderTable } from './format.js';
import { coverageHtml } from './coverage-html.js';

export const COVERAGE_FORMATS = ['table', 'json', 'csv', 'html'] as const;
export type CoverageFormat = (typeof COVERAGE_FORMATS)[number];

export function renderCoverage(r: CoverageReport, format: CoverageFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(r, null, 2);
    case 'csv':
      return coverageCsv(r);
    case 'html':
      return coverageHtml(r);
    case 'table':
      return coverageTable(r);
  }
}

function coverageTable(r: CoverageReport): string {
  const cols = ['id', 'title', 'status', 'events', 'sources', 'missing fields', 'note'];
  const line = (x: CoverageRow) => [
    x.id,
    x.title,
    statusText(x),
    x.events,
    x.sources.map((s) => s.name).join(' '),
    x.missing_fields.join(' '),
    x.reason ?? '',
  ];
  const out = [
    `coverage of ${r.tenant}${r.hosted_on ? ` (hosted on ${r.hosted_on})` : ''}, tier ${r.tier}, ${r.from} to ${r.to}`,
    `requirements: ${summaryLine(r.summary)}`,
    `principles:   ${summaryLine(r.principles_summary)}`,
    '',
    renderTable(cols, r.requirements.map(line), 48),
    '',
    renderTable(cols, r.principles.map(line), 48),
  ];
  if (r.tenants) {
    out.push('', `tenants hosted on ${r.tenant}:`);
    out.push(renderTable(['tenant', 'summary', 'still owes'], r.tenants.map((t) => [t.name, summaryLine(t.summary), t.owes.map((o) => o.id).join(' ')]), 100));
  }
  return out.join('\n');
}

function coverageCsv(r: CoverageReport): string {
  const cols = ['tenant', 'kind', 'id', 'title', 'tier', 'status', 'events', 'last_seen', 'sources', 'fields', 'missing_fields', 'inherited_from', 'reason', 'at_risk'];
  const rows = [...r.requirements, ...r.principles].map((x) => [
    r.tenant,
    x.kind,
    x.id,
    x.title,
    x.tier,
    x.status,
    x.events,
    x.last_seen ?? '',
    x.sources.map((s) => `${s.name}=${s.events}`).join(' '),
    Object.entries(x.fields).map(([k, v]) => `${k}=${v}`).join(' '),
    x.missing_fields.join(' '),
    x.inherited_from ?? '',
    x.reason ?? '',
    x.at_risk,
  ]);
  return [cols.join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\n');
}
