// The `file` output: events written to rotated files in a directory, for an archive or a data lake to
// collect. NDJSON (plain, or gzip with one member per batch) or Parquet, each as ECS or OCSF.
//   - A batch is delivered once it is in the open file and fsync'd (at least once: a crash repeats
//     only batches that were not).
//   - An open file is `*.part` (Parquet: a hidden staging NDJSON); it is closed, and renamed or converted,
//     past rotate.max_bytes or rotate.interval, and on close(). Collectors only ever see whole files.
//   - On start, what a crash left is repaired (file-append.ts) and closed: parts renamed, staging files
//     converted.
// Every file operation runs in one queue, so sends, rotation and the interval timer never overlap.
import { mkdir, open, rename, rm, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { z } from 'zod';
import { parseDuration } from '../../ql/time.js';
import { SinkError, type OutEvent, type Sink } from '../sink.js';
import { defineSink, type SinkContext } from './types.js';
import { jsonDocument } from './event-fields.js';
import { toOcsf } from './ocsf.js';
import { AppendFile, syncDir, tornTail } from './file-append.js';
import { EXTENSIONS, prune, scan, stagingName, stem } from './file-rotation.js';
import { PARQUET_SCHEMAS, ParquetWriter } from './parquet.js';

const gzipAsync = promisify(gzip);
const MiB = 1024 * 1024;
const COMPRESSIONS = { ndjson: ['none', 'gzip'], parquet: ['zstd', 'snappy'] } as const;

const interval = z.string().refine((s) => (parseDuration(s) ?? 0) >= 1000, 'expected a duration of at least 1s, like 30s, 15m, 1h or 1d');

const options = z
  .object({
    /** The directory (created when missing). Relative paths are read from Vigil's working directory. */
    path: z.string().min(1),
    format: z.enum(['ndjson', 'parquet']).default('ndjson'),
    schema: z.enum(['ecs', 'ocsf']).default('ecs'),
    rotate: z
      .object({ max_bytes: z.number().int().min(1024).default(100 * MiB), interval: interval.default('1h') })
      .strict()
      .default({ max_bytes: 100 * MiB, interval: '1h' }),
    /** ndjson: none (default) or gzip; parquet: zstd (default) or snappy. */
    compression: z.enum(['none', 'gzip', 'zstd', 'snappy']).optional(),
    /** How many closed files to keep; older ones are deleted. Default: all (a collector moves them away). */
    keep: z.number().int().positive().optional(),
  })
  .strict()
  .refine((o) => o.compression === undefined || (COMPRESSIONS[o.format] as readonly string[]).includes(o.compression), {
    message: 'ndjson files take compression none or gzip; parquet files take zstd or snappy',
    path: ['compression'],
  })
  .transform((o) => ({ ...o, compression: o.compression ?? COMPRESSIONS[o.format][0] }));

export type FileOptions = z.output<typeof options>;

export interface FileSinkDeps {
  /** The clock: tests move it to pass rotate.interval. */
  now?: () => number;
  /** A timer closes a file past its interval while no events arrive (default on; tests call tick()). */
  timer?: boolean;
}

interface OpenFile {
  stem: string;
  openedAt: number;
  file: AppendFile;
}

/** Work left after a file was closed, retried until it is done: a rename, or a Parquet conversion. */
type Handover = { kind: 'rename'; part: string; final: string } | { kind: 'convert'; staging: string; stem: string; schema: 'ecs' | 'ocsf' };

export class FileSink implements Sink {
  private readonly dir: string;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private queue: Promise<unknown> = Promise.resolve();
  private current: OpenFile | null = null;
  private started = false;
  private nextSeq = 0;
  private pending: Handover[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly parquet = new ParquetWriter();

  constructor(
    private readonly o: FileOptions,
    private readonly ctx: SinkContext,
    private readonly deps: FileSinkDeps = {},
  ) {
    this.dir = resolve(o.path);
    this.intervalMs = parseDuration(o.rotate.interval)!;
    this.now = deps.now ?? Date.now;
    // Recovery runs now, not at the first event: what a crash left is handed over at once.
    this.serial(() => this.start()).catch((err: unknown) => this.fail(err, 'recovery failed; retried with the next batch'));
    this.arm();
  }

  send(batch: OutEvent[]): Promise<void> {
    if (batch.length === 0) return Promise.resolve();
    return this.serial(async () => {
      try {
        await this.start();
        const data = await this.encode(batch);
        const cur = this.current;
        if (cur && (this.expired(cur) || (cur.file.size > 0 && cur.file.size + data.length > this.o.rotate.max_bytes))) await this.rotate();
        const file = (this.current ??= await this.openNext()).file;
        await file.append(data);
      } catch (err) {
        if (this.current?.file.broken) await this.rotate(); // the retry starts a new file
        throw err instanceof SinkError ? err : new SinkError(`file output ${this.ctx.name}: ${(err as Error).message}`);
      }
      // The batch is durable; handing a full file over now is housekeeping that cannot fail it.
      if (this.current && this.current.file.size >= this.o.rotate.max_bytes) await this.rotate();
    });
  }

  /** Closes the open file once it is past rotate.interval, and retries unfinished hand-overs. The timer calls it. */
  tick(): Promise<void> {
    return this.serial(async () => {
      await this.start();
      if (this.current && this.expired(this.current)) await this.rotate();
      else if (this.pending.length) await this.drain();
    });
  }

  close(): Promise<void> {
    return this.serial(async () => {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      await this.rotate();
      this.parquet.close();
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private arm(): void {
    if (this.deps.timer === false || this.timer) return;
    const period = Math.min(Math.max(this.intervalMs / 4, 1000), 60_000);
    this.timer = setInterval(() => this.tick().catch((err: unknown) => this.fail(err, 'rotation check failed')), period);
    this.timer.unref();
  }

  private expired(f: OpenFile): boolean {
    return this.now() - f.openedAt >= this.intervalMs;
  }

  private async encode(batch: OutEvent[]): Promise<Buffer> {
    let lines = '';
    if (this.o.format === 'parquet') {
      const schema = PARQUET_SCHEMAS[this.o.schema];
      for (const e of batch) lines += JSON.stringify(schema.row(e)) + '\n';
      return Buffer.from(lines, 'utf8');
    }
    for (const e of batch) lines += JSON.stringify(this.o.schema === 'ocsf' ? toOcsf(e.doc, { tenant: e.tenant, id: e.id }) : jsonDocument(e)) + '\n';
    const raw = Buffer.from(lines, 'utf8');
    // One gzip member per batch: concatenated members are one valid gzip file, and each append stands alone.
    return this.o.compression === 'gzip' ? gzipAsync(raw) : raw;
  }

  private extension(): string {
    return this.o.format === 'parquet' ? EXTENSIONS.parquet : this.o.compression === 'gzip' ? EXTENSIONS['ndjson.gz'] : EXTENSIONS.ndjson;
  }

  private async openNext(): Promise<OpenFile> {
    const openedAt = this.now();
    const s = stem(this.ctx.name, openedAt, this.nextSeq++);
    const name = this.o.format === 'parquet' ? stagingName(s, this.o.schema) : `${s}${this.extension()}.part`;
    const file = await AppendFile.create(join(this.dir, name));
    await syncDir(this.dir); // the new name must survive a power loss with the data acknowledged in it
    this.arm();
    return { stem: s, openedAt, file };
  }

  /** Closes the open file and hands it over. Never throws: what fails is logged and retried by tick(). */
  private async rotate(): Promise<void> {
    const cur = this.current;
    this.current = null;
    if (cur) {
      await cur.file.close().catch((err: unknown) => this.fail(err, 'closing a file failed'));
      if (cur.file.broken) await tornTail(cur.file.path, this.o.compression === 'gzip').catch((err: unknown) => this.fail(err, 'repairing a torn file failed'));
      if (cur.file.size === 0) await unlink(cur.file.path).catch(() => undefined);
      else if (this.o.format === 'parquet') this.pending.push({ kind: 'convert', staging: cur.file.path, stem: cur.stem, schema: this.o.schema });
      else this.pending.push({ kind: 'rename', part: cur.file.path, final: join(this.dir, cur.stem + this.extension()) });
    }
    await this.drain();
  }

  private async drain(): Promise<void> {
    const left: Handover[] = [];
    let done = 0;
    for (const h of this.pending) {
      try {
        await (h.kind === 'rename' ? this.finish(h.part, h.final) : this.convert(h));
        done++;
      } catch (err) {
        left.push(h);
        this.fail(err, h.kind === 'rename' ? `closing ${h.part} failed` : `converting ${h.staging} to Parquet failed`);
      }
    }
    this.pending = left;
    if (done && this.o.keep !== undefined) {
      const gone = await prune(this.dir, this.ctx.name, this.o.keep).catch((err: unknown) => (this.fail(err, 'deleting old files failed'), []));
      if (gone.length) this.ctx.log.info({ output: this.ctx.name, files: gone }, 'file output: deleted files past keep');
    }
  }

  private async finish(part: string, final: string): Promise<void> {
    if (!(await exists(part))) return this.ctx.log.warn({ output: this.ctx.name, file: part }, 'file output: an open file disappeared before it was closed');
    await rename(part, final);
    await syncDir(this.dir);
    this.ctx.log.info({ output: this.ctx.name, file: final }, 'file output: file closed');
  }

  private async convert(h: Extract<Handover, { kind: 'convert' }>): Promise<void> {
    const final = join(this.dir, `${h.stem}${EXTENSIONS.parquet}`);
    // Converted before a crash that came before the staging file's deletion.
    if (!(await exists(h.staging))) return;
    if ((await exists(final)) || (await stat(h.staging)).size === 0) return unlink(h.staging);
    const part = `${final}.part`;
    await rm(part, { force: true });
    await this.parquet.convert(PARQUET_SCHEMAS[h.schema], h.staging, part, this.o.compression === 'snappy' ? 'snappy' : 'zstd');
    const fh = await open(part, 'r');
    await fh.sync().finally(() => fh.close());
    await this.finish(part, final);
    await unlink(h.staging);
  }

  /** Creates the directory and closes what a crash left: parts repaired and renamed, staging files converted. */
  private async start(): Promise<void> {
    if (this.started) return;
    await mkdir(this.dir, { recursive: true });
    const entries = await scan(this.dir, this.ctx.name);
    const found: Handover[] = [];
    for (const e of entries) {
      if (!e.part) continue;
      const path = join(this.dir, e.file);
      if (e.kind === 'parquet') await rm(path, { force: true }); // a conversion cut short: its staging file is still there
      else if (e.kind === 'staging') {
        if (e.schema !== 'ecs' && e.schema !== 'ocsf') continue;
        await tornTail(path, false);
        found.push({ kind: 'convert', staging: path, stem: e.stem, schema: e.schema });
      } else if ((await tornTail(path, e.kind === 'ndjson.gz')) === 0) await unlink(path);
      else found.push({ kind: 'rename', part: path, final: join(this.dir, `${e.stem}${EXTENSIONS[e.kind]}`) });
    }
    this.nextSeq = Math.max(this.nextSeq, ...entries.map((e) => e.seq + 1));
    if (found.length) this.ctx.log.warn({ output: this.ctx.name, files: found.length }, 'file output: closing files left open by the last run');
    this.pending.push(...found);
    this.started = true;
    await this.drain();
  }

  private fail(err: unknown, what: string): void {
    this.ctx.log.error({ output: this.ctx.name, err: err instanceof Error ? err.message : String(err) }, `file output: ${what}`);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export const fileSink = defineSink({
  type: 'file',
  options,
  create: (o, ctx): Sink => new FileSink(o, ctx),
});
