// Every output type, by the `type` an output names in the config. A new type is one file here and
// one line below.
import type { SinkDef } from './types.js';

const DEFS: SinkDef[] = [];

export const SINKS: Readonly<Record<string, SinkDef>> = Object.fromEntries(DEFS.map((d) => [d.type, d]));
