// The forward stage's own logic over real files: buffer, cursor, covered mark, retries, partial
// results, the disk limit. The peer is a scripted implementation of the Sink interface (the network
// sinks have their own tests against real servers; the whole path is tested end to end in
// test/e2e/outputs.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutputBuffer } from './buffer.js';
import { Output, type Offered } from './output.js';
import { compileRoute } from './route.js';
import { SinkError, type OutEvent, type Sink } from './sink.js';
import { Metrics } from '../core/metrics.js';
import { createLogger } from '../core/log.js';

const log = createLogger('silent');
const dir = () => mkdtempSync(join(tmpdir(), 'vigil-out-'));
const ev = (offset: number, i: number, tenant = 'acme'): Offered => ({ tenant, id: (BigInt(offset) << 20n) | BigInt(i), doc: { message: `m-${offset}-${i}` } });
const settings = { name: 'o', type: 'http', maxEvents: 3, maxWaitMs: 0, retryInitialMs: 10, retryMaxMs: 40 };

class Peer implements Sink {
  got: OutEvent[][] = [];
  script: (SinkError | null)[] = [];
  async send(batch: OutEvent[]): Promise<void> {
    this.got.push(batch);
    const next = this.script.shift();
    if (next) throw next;
  }
  async close(): Promise<void> {}
  messages(): string[] {
    return this.got.flat().map((e) => String(e.doc.message));
  }
}

const until = async (f: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

async function make(d: string, peer: Peer, opts: { maxBytes?: number; drops?: number[] } = {}) {
  const buffer = await OutputBuffer.open({ dir: d, maxBytes: opts.maxBytes ?? 64 * 1024 * 1024, startCovered: 0 });
  return new Output(settings, compileRoute(undefined, undefined), null, buffer, peer, new Metrics(), log, (_o, n) => opts.drops?.push(n));
}

test('delivers in order in batches of at most max_events, and survives a restart without repeats', async () => {
  const d = dir();
  const peer = new Peer();
  const out = await make(d, peer);
  await out.offer([ev(0, 0), ev(0, 1), ev(0, 2), ev(0, 3)], 100);
  out.start();
  await until(() => peer.messages().length === 4);
  assert.deepEqual(peer.got.map((b) => b.length), [3, 1], 'batches of at most max_events');
  await out.offer([ev(100, 0), ev(100, 1)], 200);
  await until(() => peer.messages().length === 6);
  await out.stop();
  assert.deepEqual(JSON.parse(readFileSync(join(d, 'state.json'), 'utf8')).covered, 200);

  const peer2 = new Peer();
  const again = await make(d, peer2);
  // The batch below 200 was taken before the stop: offered again (a replay), it is skipped.
  await again.offer([ev(100, 0), ev(100, 1)], 200);
  await again.offer([ev(200, 0)], 300);
  again.start();
  await until(() => peer2.messages().length === 1);
  assert.deepEqual(peer2.messages(), ['m-200-0']);
  assert.equal(again.snapshot().backlog_events, 0);
  await again.stop();
});

test('a batch straddling the covered mark takes only the events of entries at or past it', async () => {
  const peer = new Peer();
  const out = await make(dir(), peer);
  await out.offer([ev(0, 0)], 50);
  await out.offer([ev(0, 0), ev(50, 0), ev(50, 1)], 90);
  out.start();
  await until(() => peer.messages().length === 3);
  assert.deepEqual(peer.messages(), ['m-0-0', 'm-50-0', 'm-50-1']);
  await out.stop();
});

test('retries with back-off until the peer takes the batch; Retry-After wins; counts are kept', async () => {
  const peer = new Peer();
  peer.script = [new SinkError('503 busy', { retryAfterMs: 30 }), new SinkError('connection refused'), null];
  const out = await make(dir(), peer);
  await out.offer([ev(0, 0), ev(0, 1)], 10);
  const t0 = Date.now();
  out.start();
  await until(() => out.snapshot().sent === 2);
  assert.ok(Date.now() - t0 >= 30, 'waited at least the Retry-After');
  const s = out.snapshot();
  assert.equal(s.retried, 4);
  assert.equal(s.failed, 0);
  assert.equal(s.last_error?.message, 'connection refused');
  assert.equal(peer.got.length, 3);
  await out.stop();
});

test('partial results: only the retryable ids are sent again, refused ones are counted failed', async () => {
  const peer = new Peer();
  const a = ev(0, 0), b = ev(0, 1), c = ev(0, 2);
  peer.script = [new SinkError('some items failed', { retryIds: [b.id.toString()], failedIds: [c.id.toString()] }), null];
  const out = await make(dir(), peer);
  await out.offer([a, b, c], 10);
  out.start();
  await until(() => peer.got.length === 2);
  assert.deepEqual(peer.got[1]!.map((e) => e.doc.message), ['m-0-1']);
  await until(() => out.snapshot().sent === 2);
  assert.equal(out.snapshot().failed, 1);
  await out.stop();
});

test('a permanent refusal is counted failed and delivery moves on', async () => {
  const peer = new Peer();
  peer.script = [new SinkError('400 bad request', { permanent: true })];
  const out = await make(dir(), peer);
  await out.offer([ev(0, 0), ev(0, 1), ev(0, 2)], 10);
  await out.offer([ev(10, 0)], 20);
  out.start();
  await until(() => out.snapshot().sent === 1);
  assert.equal(out.snapshot().failed, 3);
  assert.deepEqual(peer.messages(), ['m-0-0', 'm-0-1', 'm-0-2', 'm-10-0']);
  await out.stop();
});

test('a dead peer never grows the buffer past its limit: the oldest are dropped, counted and reported', async () => {
  const peer = new Peer();
  const drops: number[] = [];
  const maxBytes = 1024 * 1024;
  const out = await make(dir(), peer, { maxBytes, drops });
  const big = 'x'.repeat(2000);
  for (let b = 0; b < 1500; b++) await out.offer([{ ...ev(b * 10, 0), doc: { message: `${b} ${big}` } }], b * 10 + 10);
  const s = out.snapshot();
  assert.ok(s.backlog_bytes <= maxBytes, `backlog ${s.backlog_bytes} B over ${maxBytes} B`);
  assert.ok(s.dropped > 0);
  assert.equal(drops.reduce((a, n) => a + n, 0), s.dropped);
  assert.equal(s.backlog_events + s.dropped, 1500);
  // What is left is the newest, in order.
  out.start();
  await until(() => peer.messages().length === s.backlog_events);
  const first = Number(peer.messages()[0]!.split(' ')[0]);
  assert.equal(first, 1500 - s.backlog_events);
  await out.stop();
});
