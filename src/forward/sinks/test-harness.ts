// For the sinks' tests: sinks built from raw options as the config would give them, and the servers a
// test starts, all closed after the file's tests even when one fails first.
import { after } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createLogger } from '../../core/log.js';
import type { Sink } from '../sink.js';
import type { SinkDef } from './types.js';

export const log = createLogger('silent');

export function harness(def: SinkDef, name: string): { sink: (o: Record<string, unknown>) => Sink; servers: FastifyInstance[] } {
  const open: Sink[] = [];
  const servers: FastifyInstance[] = [];
  after(async () => {
    for (const s of open) await s.close();
    for (const app of servers) await app.close();
  });
  return {
    sink: (o) => {
      const s = def.create(def.options.parse(o), { name, log });
      open.push(s);
      return s;
    },
    servers,
  };
}
