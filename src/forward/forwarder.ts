// The forward stage: every configured output, fed by the process stage with each processed batch and
// the main-queue position it covers. Outputs are independent: each has its own buffer, cursor and
// delivery loop, so one failing peer delays nobody else.
//
// At least once, across crashes: the main queue keeps every entry until the store AND every output
// have taken it (`covered`), and on start the entries an output had not yet taken are processed again
// and offered to it (`replay`); what it had taken is skipped by entry offset.
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../config/load.js';
import type { Logger } from '../core/log.js';
import type { Metrics } from '../core/metrics.js';
import type { ReadEntry, Wal } from '../queue/wal.js';
import { parseDuration } from '../ql/time.js';
import { OutputBuffer } from './buffer.js';
import { Output, type Offered, type OutputStatus } from './output.js';
import { compileRoute } from './route.js';
import { compileTransform } from './transform.js';
import type { SinkDef } from './sinks/types.js';

type OutputConfig = Config['outputs'][number];

/** The keys every output has; the rest belong to its type's schema. */
const COMMON_KEYS = new Set(['name', 'type', 'tenants', 'filter', 'transform', 'buffer', 'batch', 'retry']);

export interface ForwarderOptions {
  outputs: readonly OutputConfig[];
  sinks: Readonly<Record<string, SinkDef>>;
  dataDir: string;
  tenantExists: (tenant: string) => boolean;
  metrics: Metrics;
  log: Logger;
  configFile?: string;
  /** Where a new output starts: the store's checkpoint (it forwards what arrives from now on). */
  startCovered: number;
  onDrop: (output: string, dropped: number, reason: string) => void;
}

export class Forwarder {
  private constructor(
    private readonly outputs: Output[],
    private readonly log: Logger,
  ) {}

  /** Checks every output's config (all problems in one ConfigError), then opens their buffers. */
  static async open(o: ForwarderOptions): Promise<Forwarder> {
    const problems: { key: string; problem: string }[] = [];
    const names = new Set<string>();
    const built: { cfg: OutputConfig; def: SinkDef; options: unknown; route: ReturnType<typeof compileRoute>; transform: ReturnType<typeof compileTransform> }[] = [];
    o.outputs.forEach((cfg, i) => {
      const at = `outputs[${i}]`;
      const before = problems.length;
      if (names.has(cfg.name)) problems.push({ key: `${at}.name`, problem: `"${cfg.name}" is used by another output` });
      names.add(cfg.name);
      (cfg.tenants ?? []).forEach((t, j) => {
        if (!o.tenantExists(t)) problems.push({ key: `${at}.tenants[${j}]`, problem: `no tenant named "${t}"` });
      });
      const def = o.sinks[cfg.type];
      let options: unknown;
      if (!def) problems.push({ key: `${at}.type`, problem: `output type "${cfg.type}" is not available` });
      else {
        const own = Object.fromEntries(Object.entries(cfg).filter(([k]) => !COMMON_KEYS.has(k)));
        const r = def.options.safeParse(own);
        if (r.success) options = r.data;
        else for (const issue of r.error.issues) problems.push({ key: [at, ...issue.path.map(String)].join('.'), problem: issue.message });
      }
      let route: ReturnType<typeof compileRoute> | undefined;
      try {
        route = compileRoute(cfg.tenants, cfg.filter);
      } catch (err) {
        problems.push({ key: `${at}.filter`, problem: (err as Error).message });
      }
      let transform: ReturnType<typeof compileTransform> = null;
      try {
        transform = compileTransform(cfg.transform);
      } catch (err) {
        problems.push({ key: `${at}.transform.redact_patterns`, problem: (err as Error).message });
      }
      if (problems.length === before && def && route) built.push({ cfg, def, options, route, transform });
    });
    if (problems.length) throw new ConfigError(o.configFile ?? 'the configuration', problems);

    const outputs: Output[] = [];
    for (const b of built) {
      const buffer = await OutputBuffer.open({ dir: join(o.dataDir, 'outputs', b.cfg.name), maxBytes: b.cfg.buffer.max_bytes, startCovered: o.startCovered });
      const sink = b.def.create(b.options, { name: b.cfg.name, log: o.log, dataDir: o.dataDir });
      const settings = {
        name: b.cfg.name,
        type: b.cfg.type,
        maxEvents: b.cfg.batch.max_events,
        maxWaitMs: parseDuration(b.cfg.batch.max_wait)!,
        retryInitialMs: parseDuration(b.cfg.retry.initial)!,
        retryMaxMs: parseDuration(b.cfg.retry.max)!,
      };
      outputs.push(new Output(settings, b.route, b.transform, buffer, sink, o.metrics, o.log, o.onDrop));
    }
    return new Forwarder(outputs, o.log);
  }

  get size(): number {
    return this.outputs.length;
  }

  /** The lowest main-queue position an output still needs (Infinity with no outputs). */
  get covered(): number {
    let min = Infinity;
    for (const out of this.outputs) min = Math.min(min, out.buffer.covered);
    return min;
  }

  /**
   * Offers what the outputs missed before the last stop, the main queue's entries from their lowest
   * `covered` up to `upTo` (the store's checkpoint), processed again by `process`.
   */
  async replay(wal: Wal, upTo: number, process: (re: ReadEntry) => Offered[]): Promise<number> {
    let pos = Math.max(this.covered, wal.tail);
    let replayed = 0;
    while (pos < upTo) {
      const { entries, next } = await wal.read(pos, 4 * 1024 * 1024);
      if (entries.length === 0) break;
      for (const re of entries) {
        if (re.offset >= upTo) return replayed;
        const events = process(re);
        await this.offer(events, re.offset + re.size);
        replayed += events.length;
      }
      pos = next;
    }
    if (replayed) this.log.info({ events: replayed }, 'offered the outputs what they had not taken before the last stop');
    return replayed;
  }

  /** Takes a processed batch into every output's buffer; retried until it is on disk. */
  async offer(events: readonly Offered[], upTo: number): Promise<void> {
    await Promise.all(
      this.outputs.map(async (out) => {
        for (let attempt = 0; ; attempt++) {
          try {
            await out.offer(events, upTo);
            return;
          } catch (err) {
            // A full disk: the process stage waits here (and ingest pushes back) rather than skip events.
            const delay = Math.min(30_000, 500 * 2 ** attempt);
            this.log.error({ err, output: out.settings.name, retryInMs: delay }, 'output buffer write failed; retrying');
            await new Promise((r) => setTimeout(r, delay));
          }
        }
      }),
    );
  }

  start(): void {
    for (const out of this.outputs) out.start();
  }

  status(): OutputStatus[] {
    return this.outputs.map((o) => o.snapshot());
  }

  async stop(): Promise<void> {
    await Promise.all(this.outputs.map((o) => o.stop()));
  }
}
