// Where the shared corpus of third-party log samples lives. Conformance tests read it in place: its
// licences forbid copying it into this repository.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from '../helpers/server.js';

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
