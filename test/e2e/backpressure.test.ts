// Overload gets back-pressure, not unbounded memory: with a 1 MiB processing-lag limit, HTTP answers
// 503 with Retry-After, and a TCP sender is slowed (its socket paused) so the unprocessed queue stays
// near the limit while it pushes fifty times that. Nothing acknowledged is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startVigil, api, searchUntil, writeConfig } from '../helpers/server.js';

const INGEST = 'bp-ingest-0123456789';
const ADMIN = 'bp-admin-0123456789ab';

function config() {
  return writeConfig(`http: { listen: 127.0.0.1:0 }
syslog:
  - { protocol: tcp, listen: 127.0.0.1:0, tenant: acme }
queue:
  max_lag_bytes: 1048576
tenants:
  - name: acme
    tokens:
      - { secret: ${INGEST}, scope: ingest }
      - { secret: ${ADMIN}, scope: admin }
`).path;
}

async function lagBytes(v: { url: string }): Promise<number> {
  const r = await api(v, ADMIN, 'GET', '/metrics');
  return Number(/^vigil_queue_lag_bytes (\d+)/m.exec(r.text)?.[1] ?? NaN);
}

test('HTTP ingest answers 503 with Retry-After when the queue is over its limit, and keeps what it acked', async () => {
  const v = await startVigil({ configPath: config() });
  try {
    const line = (i: number, j: number) => `<13>Nov 23 10:00:00 h app: bphttp request ${i} line ${j} ${'x'.repeat(150)}`;
    const body = (i: number) => Array.from({ length: 20_000 }, (_, j) => line(i, j)).join('\n');
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => api(v, INGEST, 'POST', '/api/v1/events', body(i))));
    const refused = results.filter((r) => r.status === 503);
    const accepted = results.filter((r) => r.status === 200);
    assert.ok(refused.length > 0, `expected some 503s, got ${results.map((r) => r.status)}`);
    assert.ok(accepted.length > 0);
    for (const r of refused) {
      assert.equal(r.headers.get('retry-after'), '1');
      assert.equal(r.json.error.code, 'overloaded');
    }
    const acked = accepted.reduce((n, r) => n + r.json.accepted, 0);
    const done = await searchUntil(v, ADMIN, { tenant: 'acme', q: 'bphttp | stats count()' }, (x) => x.rows?.[0]?.[0] === acked, 60_000);
    assert.equal(done.rows[0][0], acked);
    // Once drained, the same request is accepted.
    const again = await api(v, INGEST, 'POST', '/api/v1/events', 'bphttp after drain');
    assert.equal(again.status, 200);
  } finally {
    await v.stop();
  }
});

test('a TCP sender is paused: the unprocessed queue stays near its limit while 50 MiB are pushed', async () => {
  const v = await startVigil({ configPath: config() });
  try {
    const lineCount = 250_000;
    const payload = Buffer.from(
      Array.from({ length: lineCount }, (_, i) => `<13>Nov 23 10:00:00 h app: bptcp ${i} ${'y'.repeat(170)}`).join('\n') + '\n',
    );
    assert.ok(payload.length > 45 * 1024 * 1024);
    let maxLag = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        maxLag = Math.max(maxLag, await lagBytes(v));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await new Promise<void>((resolve, reject) => {
      const s = net.connect(v.syslog.tcp!, '127.0.0.1', () => {
        let off = 0;
        const pump = () => {
          while (off < payload.length) {
            const chunk = payload.subarray(off, off + 256 * 1024);
            off += chunk.length;
            if (!s.write(chunk)) return void s.once('drain', pump);
          }
          s.end();
        };
        pump();
      });
      s.on('close', () => resolve());
      s.on('error', reject);
    });
    const r = await searchUntil(v, ADMIN, { tenant: 'acme', q: 'bptcp | stats count()' }, (x) => x.rows?.[0]?.[0] === lineCount, 120_000);
    sampling = false;
    await sampler;
    assert.equal(r.rows[0][0], lineCount, 'every line arrives');
    // The limit is 1 MiB; a paused connection can still finish the few chunks it had in flight.
    assert.ok(maxLag < 8 * 1024 * 1024, `queue lag reached ${maxLag} bytes: the sender was not held back`);
    assert.ok(maxLag > 0, 'the sampler saw the queue working');
  } finally {
    await v.stop();
  }
});
