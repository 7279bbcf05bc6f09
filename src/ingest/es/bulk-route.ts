// POST|PUT /_bulk and /{index}/_bulk. Answers only once every stored document is fsync'd; refuses
// overload with 429 before the body is read, as Elasticsearch does, so shippers back off and retry.
import { InflightBudget } from '../inflight-budget.js';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EntryMeta } from '../../queue/entry.js';
import { EsError, rejected } from './errors.js';
import { decodeBody } from './body.js';
import { parseBulk, type BulkItem } from './bulk-parse.js';
import { sendJson } from './reply.js';
import { INPUT, ROUTE_CONFIG, type EsContext } from './context.js';

/**
 * The metadata of a WAL entry from this input: the records of one entry were all sent to one index or
 * data stream, named here so the pipeline can show it (`vigil.es.index`) without touching the document.
 */
export interface EsEntryMeta extends EntryMeta {
  index: string;
}

/** Elasticsearch's auto-generated ids are 20 URL-safe base64 characters. */
const newId = (): string => randomBytes(15).toString('base64url');

const SHARDS = { total: 1, successful: 1, failed: 0 };

export function bulkRoutes(app: FastifyInstance, ctx: EsContext): void {
  const budget = new InflightBudget(ctx.maxInflightBytes, ctx.bodyLimit);
  let seqNo = 0;

  const refuseIfOverloaded = () => {
    if (!ctx.intake.overloaded()) return;
    ctx.metrics.rejected.inc({ input: INPUT, reason: 'overloaded' });
    throw rejected(`Vigil's queue is full (${ctx.intake.pressure()}); retry later`);
  };

  const onRequest = async (req: FastifyRequest) => {
    refuseIfOverloaded();
    if (!budget.reserve(req)) {
      ctx.metrics.rejected.inc({ input: INPUT, reason: 'inflight_bytes' });
      throw rejected('too many request bytes in flight; retry later');
    }
  };

  const handler = async (req: FastifyRequest<{ Params: { index?: string } }>, reply: FastifyReply) => {
    const started = Date.now();
    const tenant = ctx.tenantOf(req);
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const body = await decodeBody(raw, req.headers['content-encoding'], ctx.bodyLimit);
    const items = parseBulk(body, { ...(req.params.index !== undefined ? { defaultIndex: req.params.index } : {}), maxLineBytes: ctx.maxLineBytes });
    // Again now the body is read: concurrent requests all passed onRequest before any of them queued.
    refuseIfOverloaded();

    const byIndex = new Map<string, Buffer[]>();
    for (const it of items) {
      if (!it.source) continue;
      const group = byIndex.get(it.index);
      if (group) group.push(it.source);
      else byIndex.set(it.index, [it.source]);
    }
    const received = Date.now();
    await Promise.all(
      [...byIndex].map(([index, records]) => {
        const meta: EsEntryMeta = { tenant, input: INPUT, codec: 'json', received, peer: req.ip, index };
        return ctx.intake.submit(meta, records);
      }),
    );
    const results = items.map((it) => itemResult(it, () => ++seqNo));
    // Elasticsearch's key order: some clients look for `"errors":false,"items":[` as text.
    return sendJson(req, reply, 200, { took: Date.now() - started, errors: items.some((it) => it.error !== undefined), items: results });
  };

  for (const url of ['/_bulk', '/:index/_bulk']) {
    app.route<{ Params: { index?: string } }>({ method: ['POST', 'PUT'], url, config: ROUTE_CONFIG, onRequest, handler });
    app.route({
      method: ['GET', 'DELETE', 'PATCH', 'OPTIONS'],
      url,
      config: ROUTE_CONFIG,
      handler: async (req, reply) => {
        void reply.header('allow', 'POST,PUT');
        throw new EsError(405, 'illegal_argument_exception', `Incorrect HTTP method for uri [${req.url.split('?')[0]}] and method [${req.method}], allowed: [POST, PUT]`);
      },
    });
  }
}

function itemResult(it: BulkItem, nextSeqNo: () => number): Record<string, unknown> {
  const id = it.id ?? (it.action === 'create' || it.action === 'index' ? newId() : null);
  if (it.error) {
    return { [it.action]: { _index: it.index, _id: id, status: 400, error: { ...it.error, index: it.index } } };
  }
  return {
    [it.action]: { _index: it.index, _id: id, _version: 1, result: 'created', _shards: SHARDS, _seq_no: nextSeqNo(), _primary_term: 1, status: 201 },
  };
}
