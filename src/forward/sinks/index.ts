// Every output type, by the `type` an output names in the config. A new type is one file here and
// one line below.
import type { SinkDef } from './types.js';
import { syslogSink } from './syslog.js';
import { hecSink } from './hec.js';
import { elasticsearchSink } from './elasticsearch.js';
import { httpSink } from './http.js';
import { lokiSink } from './loki.js';
import { fileSink } from './file.js';

const DEFS: SinkDef[] = [syslogSink, hecSink, elasticsearchSink, lokiSink, httpSink, fileSink];

export const SINKS: Readonly<Record<string, SinkDef>> = Object.fromEntries(DEFS.map((d) => [d.type, d]));
