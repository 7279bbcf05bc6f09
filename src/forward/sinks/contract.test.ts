// The contract every HTTP output keeps, run against each one with a real HTTP server playing the
// peer: it delivers a batch in order, compresses when told to, cuts a batch at max_body_bytes, halves
// on 413, reads Retry-After in both forms, tells retryable answers from final ones, never throws
// anything but SinkError (refused connections, timeouts), and its options are strict.
// Each type's own wire format and answers are tested in its own file.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../core/log.js';
import { SinkError, type OutEvent, type Sink } from '../sink.js';
import { SINKS } from './index.js';

const log = createLogger('silent');

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

interface Case {
  type: string;
  options: Record<string, unknown>;
  path: string;
  /** The answer that takes a request. */
  ok: (body: Buffer) => Reply;
  /** The event ids a (decompressed) request body carries, in order. */
  ids: (body: Buffer) => string[];
  /** An answer that refuses the request for good. */
  refuse: Reply;
}

const lines = (b: Buffer) => b.toString('utf8').split('\n').filter(Boolean);

const CASES: Case[] = [
  {
    type: 'http',
    options: {},
    path: '/ingest',
    ok: () => ({ status: 200 }),
    ids: (b) => lines(b).map((l) => JSON.parse(l).vigil.id),
    refuse: { status: 422, body: 'unprocessable' },
  },
  {
    type: 'hec',
    options: { token: 'hec-token' },
    path: '/services/collector/event',
    ok: () => ({ status: 200, body: '{"text":"Success","code":0}' }),
    ids: (b) => lines(b).map((l) => JSON.parse(l).fields['vigil.id']),
    refuse: { status: 400, body: '{"text":"Invalid data format","code":6}' },
  },
  {
    type: 'elasticsearch',
    options: {},
    path: '/_bulk',
    ok: (b) => ({ status: 200, body: JSON.stringify({ errors: false, items: lines(b).filter((_, i) => i % 2 === 0).map(() => ({ create: { status: 201 } })) }) }),
    ids: (b) => lines(b).filter((_, i) => i % 2 === 1).map((l) => JSON.parse(l).vigil.id),
    refuse: { status: 400, body: '{"error":{"type":"parse_exception","reason":"bad"},"status":400}' },
  },
  {
    type: 'loki',
    options: { encoding: 'json', format: 'json' },
    path: '/loki/api/v1/push',
    ok: () => ({ status: 204 }),
    ids: (b) => JSON.parse(b.toString('utf8')).streams.flatMap((s: { values: [string, string][] }) => s.values.map(([, line]) => JSON.parse(line).vigil.id)),
    refuse: { status: 400, body: 'entry too far behind' },
  },
];

interface Got {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A scripted peer: each request gets the next scripted answer, else `ok`. */
class Peer {
  /** The requests the peer took (answered 2xx). */
  got: Got[] = [];
  script: ((g: Got) => Reply | null)[] = [];
  /** Answers 413 to bodies larger than this. */
  maxBody = Infinity;
  url = '';
  private readonly server: http.Server;
  constructor(private readonly c: Case) {
    this.server = http.createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (d: Buffer) => parts.push(d));
      req.on('end', () => {
        const raw = Buffer.concat(parts);
        const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        const g = { path: req.url!.split('?')[0]!, headers: req.headers, body };
        const r = body.length > this.maxBody ? { status: 413, body: 'too large' } : (this.script.shift()?.(g) ?? this.c.ok(body));
        if (r.status >= 200 && r.status < 300) this.got.push(g); // what the peer took
        if (r.status < 0) return; // never answer
        res.writeHead(r.status, r.headers ?? {});
        res.end(r.body ?? '');
      });
    });
  }
  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }
  ids(): string[] {
    return this.got.flatMap((g) => this.c.ids(g.body));
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

const events = (n: number, from = 0, size = 40): OutEvent[] =>
  Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return { tenant: 'acme', id: String(1000 + i), doc: { '@timestamp': new Date(Date.UTC(2024, 4, 1, 0, 0, i)).toISOString(), host: { name: 'h1' }, event: { dataset: 'test', original: `event ${i} ${'x'.repeat(size)}` } } };
  });
const ids = (b: OutEvent[]) => b.map((e) => e.id);

async function failure(p: Promise<void>): Promise<SinkError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(err instanceof SinkError, `expected a SinkError, got ${String(err)}`);
  return err;
}

for (const c of CASES) {
  describe(`${c.type} output: the HTTP output contract`, () => {
    let peer: Peer;
    const open: Sink[] = [];
    const sink = (extra: Record<string, unknown> = {}): Sink => {
      const def = SINKS[c.type]!;
      const url = c.type === 'http' ? `${peer.url}/ingest` : peer.url;
      const s = def.create(def.options.parse({ url, ...c.options, ...extra }), { name: `contract-${c.type}`, log });
      open.push(s);
      return s;
    };
    before(async () => {
      peer = await new Peer(c).start();
    });
    after(async () => {
      for (const s of open) await s.close();
      await peer.stop();
    });
    const reset = () => {
      peer.got = [];
      peer.script = [];
      peer.maxBody = Infinity;
    };

    test('delivers a batch in one request, in order, on its path', async () => {
      reset();
      const b = events(5);
      await sink().send(b);
      assert.equal(peer.got.length, 1);
      assert.equal(peer.got[0]!.path, c.path);
      assert.deepEqual(peer.ids(), ids(b));
    });

    test('gzip: Content-Encoding gzip, the same events', async () => {
      reset();
      const b = events(20);
      await sink({ gzip: true }).send(b);
      assert.equal(peer.got[0]!.headers['content-encoding'], 'gzip');
      assert.deepEqual(peer.ids(), ids(b));
    });

    test('a batch larger than max_body_bytes goes as several requests, each within it, in order', async () => {
      reset();
      const b = events(40, 0, 200);
      await sink({ max_body_bytes: 2048 }).send(b);
      assert.ok(peer.got.length >= 4, `${peer.got.length} requests`);
      for (const g of peer.got) assert.ok(g.body.length <= 2048 || c.ids(g.body).length === 1, `a body of ${g.body.length} bytes`);
      assert.deepEqual(peer.ids(), ids(b));
    });

    test('413: halved until the peer takes it; an event too large on its own is refused for good', async () => {
      reset();
      const b = events(16, 0, 100);
      peer.maxBody = 900;
      await sink().send(b);
      assert.deepEqual(peer.ids(), ids(b), 'everything arrived once, in order');
      reset();
      peer.maxBody = 900;
      const mixed = [...events(2), ...events(1, 2, 5000), ...events(2, 3)];
      const e = await failure(sink().send(mixed));
      assert.deepEqual(e.opts.failedIds, [mixed[2]!.id]);
      assert.deepEqual(e.opts.retryIds, []);
      assert.deepEqual(peer.ids(), ids([mixed[0]!, mixed[1]!, mixed[3]!, mixed[4]!]));
    });

    test('503 and 429 with Retry-After (seconds, HTTP date): retryable, when the peer said', async () => {
      reset();
      peer.script.push(() => ({ status: 503, headers: { 'retry-after': '7' }, body: 'busy' }));
      let e = await failure(sink().send(events(2)));
      assert.equal(e.opts.retryAfterMs, 7000);
      assert.equal(e.opts.permanent, undefined);
      peer.script.push(() => ({ status: 429, headers: { 'retry-after': new Date(Date.now() + 30_000).toUTCString() } }));
      e = await failure(sink().send(events(2)));
      assert.ok(e.opts.retryAfterMs! > 25_000 && e.opts.retryAfterMs! <= 30_000, String(e.opts.retryAfterMs));
    });

    test('500: retryable with back-off; 401 and 404: retryable (an operator fixes them); a refusal: final', async () => {
      reset();
      for (const status of [500, 502, 401, 403, 404]) {
        peer.script.push(() => ({ status, body: 'no' }));
        const e = await failure(sink().send(events(1)));
        assert.equal(e.opts.permanent, undefined, `${status}`);
        assert.equal(e.opts.retryAfterMs, undefined, `${status}`);
        assert.match(e.message, new RegExp(`answered ${status}`));
      }
      peer.script.push(() => c.refuse);
      const e = await failure(sink().send(events(3)));
      assert.equal(e.opts.permanent, true, e.message);
    });

    test('a failure after some requests were taken resends only the rest', async () => {
      reset();
      const b = events(40, 0, 200);
      peer.script.push(
        () => null,
        () => ({ status: 503, body: 'busy' }),
      );
      const e = await failure(sink({ max_body_bytes: 2048 }).send(b));
      const first = peer.ids();
      assert.ok(first.length > 0 && first.length < b.length);
      assert.deepEqual(e.opts.retryIds, ids(b).slice(first.length));
    });

    test('no peer, or no answer in time: a retryable SinkError, never another error', async () => {
      const closed = http.createServer();
      closed.listen(0, '127.0.0.1');
      await once(closed, 'listening');
      const port = closed.address() as AddressInfo;
      await new Promise<void>((r) => closed.close(() => r()));
      const def = SINKS[c.type]!;
      const dead = def.create(def.options.parse({ url: `http://127.0.0.1:${port.port}/x`, ...c.options }), { name: 'dead', log });
      let e = await failure(dead.send(events(1)));
      assert.match(e.message, /ECONNREFUSED/);
      assert.equal(e.opts.permanent, undefined);
      await dead.close();
      reset();
      peer.script.push(() => ({ status: -1 }));
      const started = Date.now();
      e = await failure(sink({ timeout_ms: 300 }).send(events(1)));
      assert.match(e.message, /no answer within 300 ms/);
      assert.ok(Date.now() - started < 3000);
    });

    test('options: strict, url required, the forward stage\'s keys refused', () => {
      const def = SINKS[c.type]!;
      assert.equal(def.type, c.type);
      const base = { url: 'https://peer.example:8443', ...c.options };
      const o = def.options.parse(base) as Record<string, unknown>;
      assert.equal(o.timeout_ms, 10_000);
      assert.equal(o.gzip, false);
      assert.equal(o.max_body_bytes, 10 * 1024 * 1024);
      for (const bad of [{ ...base, url: 'ftp://x' }, { ...base, url: 'http://x', tls: { ca: 'ca.pem' } }, { ...c.options }, { ...base, tenants: ['acme'] }, { ...base, batch: {} }, { ...base, colour: 'red' }]) {
        assert.equal(def.options.safeParse(bad).success, false, JSON.stringify(bad));
      }
    });
  });
}
