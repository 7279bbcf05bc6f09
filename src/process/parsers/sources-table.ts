// The README's table of supported sources, built from the parser definitions so it cannot drift.
import type { ParserDef } from './define.js';

export const SOURCES_START = '<!-- sources:start (generated from the parser definitions: UPDATE_DOCS=1 npm test) -->';
export const SOURCES_END = '<!-- sources:end -->';

export function sourcesTable(parsers: readonly ParserDef[]): string {
  const rows = [...parsers]
    .sort((a, b) => a.title.localeCompare(b.title))
    .map((p) => `| ${p.title} | \`${p.id}\` | ${p.input === 'json' ? 'JSON' : 'text / syslog'} | ${p.requirements.join(', ') || '–'} |`);
  return [SOURCES_START, '| source | parser (`event.dataset`) | input | requirements evidenced |', '|---|---|---|---|', ...rows, SOURCES_END].join('\n');
}
