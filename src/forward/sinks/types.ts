// The shape of an output type: its own config keys (a strict zod schema with defaults) and how to make
// its sink. The forward stage validates an output's type-specific keys against `options` at start-up,
// so a typo in a key is a config error naming `outputs[i].<key>`, never a silent default.
import type { z } from 'zod';
import type { Logger } from '../../core/log.js';
import type { Sink } from '../sink.js';

export interface SinkContext {
  /** The output's name (logs, file names). */
  name: string;
  log: Logger;
  /** Vigil's data directory (a sink that needs working files keeps them under it). */
  dataDir?: string;
}

export interface SinkDef<S extends z.ZodType = z.ZodType> {
  type: 'syslog' | 'hec' | 'elasticsearch' | 'loki' | 'http' | 'file';
  options: S;
  create(options: z.output<S>, ctx: SinkContext): Sink;
}

/** Keeps each definition's option type tied to its schema. */
export function defineSink<S extends z.ZodType>(def: SinkDef<S>): SinkDef<S> {
  return def;
}
