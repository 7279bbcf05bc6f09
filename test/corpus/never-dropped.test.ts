// Every line of every sample in the corpus, whatever its format, becomes exactly one event that keeps
// its raw text; no line throws. (Format-specific parsing is judged by the parser conformance tests.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { processRecord } from '../../src/process/pipeline.js';
import { ParserRegistry } from '../../src/process/parsers/registry.js';
import { requireCorpus, walkFiles } from './corpus.js';
import type { Codec } from '../../src/queue/entry.js';

const corpus = requireCorpus();
const registry = new ParserRegistry();

test('every corpus line is kept as one event with its original text', () => {
  const files = walkFiles(corpus).filter((f) => /\.(log|jsonl|json|ini|yaml|yml|csv|txt)$/.test(f) && !f.includes('/sigma/'));
  assert.ok(files.length > 40, `expected the corpus sample files, found ${files.length}`);
  let lines = 0;
  const statuses = new Map<string, number>();
  for (const f of files) {
    const codecs: Codec[] = f.endsWith('.log') ? ['syslog', 'text'] : ['text'];
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      for (const codec of codecs) {
        const received = new Date('2026-11-23T12:00:00Z');
        const doc = processRecord(Buffer.from(line), { tenant: 't', input: 'corpus', codec, received: received.getTime() }, received, received.toISOString(), { registry }) as any;
        assert.equal(doc.event.original, line.replace(/[\r\n\0]+$/, ''), `${f}: original kept`);
        assert.ok(!Number.isNaN(Date.parse(doc['@timestamp'])), `${f}: a valid @timestamp`);
        assert.ok(['parsed', 'partial', 'unparsed', 'malformed'].includes(doc.vigil.parse.status));
        statuses.set(doc.vigil.parse.status, (statuses.get(doc.vigil.parse.status) ?? 0) + 1);
        lines++;
      }
    }
  }
  assert.ok(lines > 5000, `expected thousands of lines, got ${lines}`);
  console.log(`corpus sweep: ${lines} records from ${files.length} files`, Object.fromEntries(statuses));
});
