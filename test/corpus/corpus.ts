// Where the shared corpus of third-party log samples lives. Conformance tests read it in place: its
// licences forbid copying it into this repository.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from '../helpers/server.js';
import { processRecord } from '../../src/process/pipeline.js';
import { ParserRegistry } from '../../src/process/parsers/registry.js';
import type { Codec } from '../../src/queue/entry.js';

export const CORPUS = resolve(process.env.VIGIL_CORPUS ?? join(ROOT, '../shared/corpus'));

export function requireCorpus(): string {
  if (!existsSync(join(CORPUS, 'INDEX.md'))) {
    throw new Error(`the shared corpus is not at ${CORPUS}: set VIGIL_CORPUS to its folder`);
  }
  return CORPUS;
}

export function walkFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walkFiles(p, out);
    else out.push(p);
  }
  return out;
}

/** A minimal RFC 4180 CSV line reader (quoted fields with "" escapes), for the loghub oracles. */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') q = false;
      else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export const RECEIVED = new Date('2026-11-23T12:00:00Z');
const registry = new ParserRegistry();

/** One corpus record through the whole pipeline with every parser registered. */
export function runRecord(record: string | Buffer, codec: Codec = 'text', received = RECEIVED): any {
  const raw = typeof record === 'string' ? Buffer.from(record) : record;
  return processRecord(raw, { tenant: 'corpus', input: 'corpus', codec, received: received.getTime() }, received, received.toISOString(), { registry });
}

/** JSON with object keys sorted, so that key order does not count as a difference. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as object).sort(([a], [b]) => a.localeCompare(b))) : x,
  );
}
