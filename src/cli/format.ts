// Output formats for CLI results: table (for people), json, ndjson and csv (for tools).
import { getPath, type EcsDoc } from '../core/event.js';

export type Format = 'table' | 'json' | 'ndjson' | 'csv';
export const FORMATS: readonly Format[] = ['table', 'json', 'ndjson', 'csv'];

export function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** A plain text table, columns as wide as their content up to `maxWidth`. */
export function renderTable(columns: string[], rows: unknown[][], maxWidth = 80): string {
  const text = rows.map((r) => r.map((v) => cellText(v).replace(/\s+/g, ' ')));
  const widths = columns.map((c, i) => Math.min(maxWidth, Math.max(c.length, ...text.map((r) => (r[i] ?? '').length))));
  const line = (cells: string[]) =>
    cells.map((c, i) => (c.length > widths[i]! ? c.slice(0, widths[i]! - 1) + '…' : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)].join('\n');
}

export function renderRows(columns: string[], rows: unknown[][], format: Format): string {
  switch (format) {
    case 'json':
      return JSON.stringify({ columns, rows }, null, 2);
    case 'ndjson':
      return rows.map((r) => JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, r[i]])))).join('\n');
    case 'csv':
      return [columns.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n');
    case 'table':
      return renderTable(columns, rows);
  }
}

const HIT_COLUMNS = ['@timestamp', 'host.name', 'event.category', 'user.name', 'source.ip', 'message'];

export function renderHits(hits: EcsDoc[], total: number, format: Format, fields?: string[]): string {
  switch (format) {
    case 'json':
      return JSON.stringify({ total, hits }, null, 2);
    case 'ndjson':
      return hits.map((h) => JSON.stringify(h)).join('\n');
    case 'csv':
    case 'table': {
      const cols = fields && fields.length ? fields : HIT_COLUMNS;
      const rows = hits.map((h) => cols.map((c) => getPath(h, c) ?? (c === 'message' ? getPath(h, 'event.original') : undefined)));
      const body = format === 'csv' ? renderRows(cols, rows, 'csv') : renderTable(cols, rows, 100);
      return format === 'table' ? `${body}\n(${hits.length} of ${total} events)` : body;
    }
  }
}
