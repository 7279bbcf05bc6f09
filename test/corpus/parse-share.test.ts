// Feeds the whole corpus through the pipeline with every parser registered and reports, per source
// folder, the share of records a parser recognised. Per-source floors live in the parser conformance
// tests beside this one; this report is the overview (printed in CI's log).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { processRecord } from '../../src/process/pipeline.js';
import { ParserRegistry } from '../../src/process/parsers/registry.js';
import { requireCorpus, walkFiles } from './corpus.js';

const corpus = requireCorpus();

/**
 * Sample records only: oracle files (expected outputs, Elastic's sample_event.json output documents,
 * logstash spec extracts, CSV structures, rule tests' YAML) are not logs; each source's own
 * conformance test reads those the right way.
 */
function isSample(path: string): boolean {
  if (path.includes('/sigma/') || /expected|structured|templates|sample_event|extract\.jsonl|LICENSE|\.md$|\.ini$|\.yaml$|\.yml$|\.csv$/.test(path)) return false;
  return /\.(log|jsonl|json|txt)$/.test(path);
}

test('share of corpus records recognised, per source', () => {
  const registry = new ParserRegistry();
  const rows: [string, number, number][] = [];
  const bySource = new Map<string, { n: number; parsed: number }>();
  for (const file of walkFiles(corpus).filter(isSample)) {
    const source = relative(corpus, file).split('/')[0]!;
    const text = readFileSync(file, 'utf8');
    // A .json file is one document (pretty-printed); .jsonl and .log are one record per line.
    const records = (file.endsWith('.json') && !file.endsWith('.jsonl') ? [JSON.stringify(safeJson(text) ?? text)] : text.split('\n').filter((l) => l.trim())).map(unwrapPanther);
    const s = bySource.get(source) ?? { n: 0, parsed: 0 };
    for (const r of records) {
      const received = new Date('2026-11-23T12:00:00Z');
      const d = processRecord(Buffer.from(r), { tenant: 'corpus', input: 'corpus', codec: 'text', received: received.getTime() }, received, received.toISOString(), { registry }) as any;
      s.n++;
      // The generic JSON pass-through keeps any JSON; it does not count as recognising the source.
      if ((d.vigil.parse.status === 'parsed' || d.vigil.parse.status === 'partial') && d.vigil.parse.parser !== 'json') s.parsed++;
    }
    bySource.set(source, s);
  }
  for (const [source, s] of [...bySource].sort()) rows.push([source, s.n, s.parsed]);
  const table = rows.map(([src, n, p]) => `${src.padEnd(20)} ${String(n).padStart(6)} ${((100 * p) / n).toFixed(1).padStart(6)}%`).join('\n');
  console.log(`source               records parsed\n${table}`);
  assert.ok(rows.length >= 15, `expected most corpus sources to have samples, got ${rows.length}`);
});

/** Panther's rule tests wrap each log as {"rule_id":…, "log": {...}}: the log is the record. */
function unwrapPanther(record: string): string {
  if (!record.startsWith('{"rule_id"')) return record;
  const log = (safeJson(record) as { log?: unknown } | null)?.log;
  return typeof log === 'string' ? log : log ? JSON.stringify(log) : record;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
