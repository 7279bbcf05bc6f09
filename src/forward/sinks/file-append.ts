// Durable appends for the file output, and the repair of what a crash leaves behind. A batch counts as
// delivered once it is in the file and fsync'd; a write that fails half-way is cut off again at once, so
// a retried batch never follows a torn copy of itself. A crash can still tear the last write: on start,
// tornTail() cuts an NDJSON file back to its last complete line, and a gzip file back to its last
// complete member (a torn member makes gunzip, zcat and Python's gzip fail on the whole file, the
// complete members before it included). The torn batch was never acknowledged, so it is sent again.
import { createReadStream } from 'node:fs';
import { open, readFile, stat, truncate, type FileHandle } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

/** A file opened for appending that knows its size. */
export class AppendFile {
  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    private bytes: number,
  ) {}

  /** Creates the file; it must not exist. */
  static async create(path: string): Promise<AppendFile> {
    return new AppendFile(path, await open(path, 'ax'), 0);
  }

  /** A failed write could not be cut off again: the file may end in a torn write (see tornTail). */
  broken = false;

  get size(): number {
    return this.bytes;
  }

  /** Appends and fsyncs. On failure the file is cut back to where it was, when the disk lets us. */
  async append(data: Buffer): Promise<void> {
    try {
      await this.fh.appendFile(data);
      await this.fh.datasync();
      this.bytes += data.length;
    } catch (err) {
      await this.fh.truncate(this.bytes).catch(() => {
        this.broken = true;
      });
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

/** Opens a directory and fsyncs it, so a file created or renamed in it survives a power loss. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Cuts a torn last write off a file this output wrote; returns the size kept. */
export async function tornTail(path: string, gzip: boolean): Promise<number> {
  const size = (await stat(path)).size;
  const keep = gzip ? await lastCompleteMember(path, size) : await lastNewline(path, size);
  if (keep < size) await truncate(path, keep);
  return keep;
}

async function lastNewline(path: string, size: number): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const chunk = Buffer.alloc(64 * 1024);
    for (let end = size; end > 0; ) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await fh.read(chunk, 0, end - start, start);
      const i = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (i >= 0) return start + i + 1;
      end = start;
    }
    return 0;
  } finally {
    await fh.close();
  }
}

const MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);

/**
 * The end of the last complete gzip member. Each batch is one member, so member starts (the gzip
 * magic) are the candidate ends: the largest prefix that gunzips cleanly is kept. The whole file is
 * checked first, streaming; it is read into memory only when it is torn (at most max_bytes and a batch).
 */
async function lastCompleteMember(path: string, size: number): Promise<number> {
  if (size === 0 || (await gunzips(createReadStream(path)))) return size;
  const buf = await readFile(path);
  const candidates = new Set<number>();
  // A member torn inside its magic: the file ends with "1f" or "1f 8b".
  for (let k = 1; k < MAGIC.length; k++) if (buf.length >= k && buf.subarray(buf.length - k).equals(MAGIC.subarray(0, k))) candidates.add(buf.length - k);
  for (let i = buf.lastIndexOf(MAGIC); i > 0; i = buf.lastIndexOf(MAGIC, i - 1)) candidates.add(i);
  for (const p of [...candidates].sort((a, b) => b - a)) if (await gunzips(Readable.from([buf.subarray(0, p)]))) return p;
  return 0;
}

async function gunzips(input: Readable): Promise<boolean> {
  try {
    await pipeline(input, createGunzip(), new Writable({ write: (_chunk, _enc, cb) => cb() }));
    return true;
  } catch {
    return false;
  }
}
