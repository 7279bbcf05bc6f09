// How the file output names its files, finds them again after a restart, and deletes old ones. A file
// is `vigil-<output>-<UTC yyyyMMddTHHmmss>-<seq>.<ext>`, the time it was opened and a sequence number
// that only grows (it continues from the highest on disk), so names sort in writing order and never
// collide. While open it ends in `.part`; Parquet's rows wait in a hidden staging file
// `.vigil-<output>-<stamp>-<seq>.<schema>.staging.ndjson` until the period closes.
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export type FileKind = 'ndjson' | 'ndjson.gz' | 'parquet' | 'staging';

export interface FileEntry {
  file: string;
  /** `vigil-<output>-<stamp>-<seq>`: the final name without its extension. */
  stem: string;
  seq: number;
  kind: FileKind;
  /** Still being written (`.part`); a staging file is always unfinished. */
  part: boolean;
  /** The staging file's column set (`ecs`, `ocsf`). */
  schema?: string;
}

export const EXTENSIONS: Record<Exclude<FileKind, 'staging'>, string> = { ndjson: '.ndjson', 'ndjson.gz': '.ndjson.gz', parquet: '.parquet' };

export function stem(output: string, openedAt: number, seq: number): string {
  const stamp = new Date(openedAt).toISOString().replace(/[-:]/g, '').slice(0, 15); // 20261123T080000
  return `vigil-${output}-${stamp}-${String(seq).padStart(6, '0')}`;
}

export function stagingName(fileStem: string, schema: string): string {
  return `.${fileStem}.${schema}.staging.ndjson`;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Parses a name this output wrote; undefined for anything else in the directory. */
export function parse(output: string, file: string): FileEntry | undefined {
  const m = new RegExp(`^(\\.?)(vigil-${escape(output)}-\\d{8}T\\d{6}-(\\d+))\\.(.+)$`).exec(file);
  if (!m) return undefined;
  const [, dot, fileStem, seq, rest] = m as unknown as [string, string, string, string, string];
  const staging = /^([a-z]+)\.staging\.ndjson$/.exec(rest);
  if (dot) return staging ? { file, stem: fileStem, seq: Number(seq), kind: 'staging', part: true, schema: staging[1]! } : undefined;
  const part = rest.endsWith('.part');
  const ext = part ? rest.slice(0, -'.part'.length) : rest;
  if (ext !== 'ndjson' && ext !== 'ndjson.gz' && ext !== 'parquet') return undefined;
  return { file, stem: fileStem, seq: Number(seq), kind: ext, part };
}

/** This output's files in `dir`, oldest first. */
export async function scan(dir: string, output: string): Promise<FileEntry[]> {
  const entries: FileEntry[] = [];
  for (const f of await readdir(dir)) {
    const e = parse(output, f);
    if (e) entries.push(e);
  }
  return entries.sort((a, b) => a.seq - b.seq);
}

/** Deletes this output's oldest closed files beyond `keep`; returns the names deleted. */
export async function prune(dir: string, output: string, keep: number | undefined): Promise<string[]> {
  if (keep === undefined) return [];
  const closed = (await scan(dir, output)).filter((e) => !e.part);
  const gone = closed.slice(0, Math.max(0, closed.length - keep)).map((e) => e.file);
  for (const f of gone) await unlink(join(dir, f)).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)));
  return gone;
}
