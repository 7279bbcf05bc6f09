// Re-forwarding through the real server to a real HTTP peer: routing by tenant and query, redaction
// that leaves nothing behind, the outputs API, a peer that refuses for a while, and kill -9 in the
// middle of delivery with every event arriving after the restart.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startVigil, api, searchUntil, tempDir, ROOT, type VigilProcess } from '../helpers/server.js';
import { twoTenantConfig, TOKENS } from '../helpers/tenants.js';

/** A peer that takes NDJSON posts: it keeps each body as received, and can refuse or be slow. */
class Peer {
  bodies: { path: string; text: string }[] = [];
  refuse = 0;
  delayMs = 0;
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (this.refuse > 0) {
        this.refuse--;
        res.writeHead(503, { 'retry-after': '1', 'content-type': 'application/json' }).end('{"error":"busy"}');
        return;
      }
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      setTimeout(() => {
        this.bodies.push({ path: req.url ?? '', text: body.toString('utf8') });
        res.writeHead(200).end();
      }, this.delayMs);
    });
  });
  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  docs(path: string): any[] {
    return this.bodies
      .filter((b) => b.path === path)
      .flatMap((b) => b.text.split('\n').filter(Boolean))
      .map((l) => JSON.parse(l));
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

const until = async (f: () => boolean | Promise<boolean>, ms = 20_000, what = 'condition') => {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const sshd = (user: string, i: number) => `<38>Nov 23 08:00:00 bastion1 sshd[${100 + i}]: Failed password for ${user} from 198.51.100.${i % 250} port ${4000 + i} ssh2`;

describe('outputs', () => {
  let v: VigilProcess;
  const peer = new Peer();
  before(async () => {
    const url = await peer.start();
    v = await startVigil({
      configPath: twoTenantConfig(`outputs:
  - name: acme-auth
    type: http
    url: ${url}/auth
    tenants: [acme]
    filter: 'event.category:authentication'
    transform: { redact: [user.name, source.ip] }
    batch: { max_wait: 1s }
    retry: { initial: 1s, max: 2s }
  - name: everything
    type: http
    url: ${url}/all
    batch: { max_wait: 1s }
`).path,
    });
  });
  after(async () => {
    await v?.stop();
    await peer.close();
  });

  test('routes by tenant and query, redacts everywhere, never forwards the platform audit, and reports counts', async () => {
    const post = (token: string, body: string) => api(v, token, 'POST', '/api/v1/events', body);
    assert.equal((await post(TOKENS.acme.ingest, [sshd('zed.secret', 1), sshd('zed.secret', 2), 'acme free text line'].join('\n'))).status, 200);
    assert.equal((await post(TOKENS.globex.ingest, [sshd('globex.user', 3)].join('\n'))).status, 200);
    await until(() => peer.docs('/auth').length === 2 && peer.docs('/all').length >= 4, 20_000, 'deliveries');
    const auth = peer.bodies.filter((b) => b.path === '/auth').map((b) => b.text).join('\n');
    assert.ok(!auth.includes('zed.secret'), 'the redacted user name appears nowhere, event.original included');
    assert.ok(!auth.includes('198.51.100.1 '), 'nor the redacted address');
    assert.ok(auth.includes('[REDACTED]'));
    for (const d of peer.docs('/auth')) assert.deepEqual(d.event.category, ['authentication']);
    const all = peer.docs('/all');
    const messages = all.map((d) => d.message ?? '').join('\n');
    assert.ok(messages.includes('acme free text line'));
    assert.ok(all.some((d) => d.user?.name === 'globex.user'), 'an output without tenants takes every tenant');
    assert.ok(all.some((d) => d.user?.name === 'zed.secret'), 'redaction is per output');
    assert.ok(!all.some((d) => d.event?.dataset === 'vigil.audit' || d.vigil?.input === 'audit'), 'the platform audit is not forwarded by default');

    const r = await api(v, v.adminToken, 'GET', '/api/v1/outputs');
    assert.equal(r.status, 200);
    const byName = Object.fromEntries(r.json.outputs.map((o: any) => [o.name, o]));
    assert.equal(byName['acme-auth'].sent, 2);
    assert.equal(byName['acme-auth'].type, 'http');
    assert.equal(byName.everything.sent, all.length);
    assert.equal(byName.everything.backlog_events, 0);
    assert.equal((await api(v, TOKENS.acme.read, 'GET', '/api/v1/outputs')).status, 403);
    assert.equal((await api(v, null, 'GET', '/api/v1/outputs')).status, 401);
    const cli = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'outputs', '--server', v.url, '--token', v.adminToken, '--format', 'csv'], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    assert.match(cli.stdout, /^name,type,state,sent,failed,retried,dropped,backlog_events,last_error$/m);
    assert.match(cli.stdout, /^acme-auth,http,\w+,2,0,0,0,0,$/m);
    const metrics = await api(v, v.adminToken, 'GET', '/metrics');
    assert.match(metrics.text, /vigil_output_events_total\{output="acme-auth",outcome="sent"\} 2/);
  });

  test('a peer that refuses is retried with back-off; nothing is lost meanwhile', async () => {
    peer.refuse = 3;
    const before = peer.docs('/auth').length;
    assert.equal((await api(v, TOKENS.acme.ingest, 'POST', '/api/v1/events', sshd('later.user', 9))).status, 200);
    await until(() => peer.docs('/auth').length === before + 1, 30_000, 'delivery after refusals');
    const r = await api(v, v.adminToken, 'GET', '/api/v1/outputs');
    const out = r.json.outputs.find((o: any) => o.name === 'acme-auth');
    assert.ok(out.retried >= 1, JSON.stringify(out));
    assert.match(out.last_error.message, /503/);
  });
});

test('kill -9 in the middle of delivery: after a restart every event reaches the peer', async () => {
  const peer = new Peer();
  const url = await peer.start();
  peer.delayMs = 150; // a slow peer, so the crash lands with a backlog
  const dataDir = tempDir();
  const { path: configPath } = twoTenantConfig(`outputs:
  - name: archive
    type: http
    url: ${url}/archive
    tenants: [acme]
    batch: { max_events: 50, max_wait: 1s }
`);
  const v = await startVigil({ configPath, dataDir });
  const N = 3000;
  const lines = Array.from({ length: N }, (_, i) => `crash-forward line ${i}`);
  for (let i = 0; i < N; i += 500) assert.equal((await api(v, TOKENS.acme.ingest, 'POST', '/api/v1/events', lines.slice(i, i + 500).join('\n'))).status, 200);
  await until(() => peer.docs('/archive').length >= 200, 20_000, 'some deliveries');
  await v.kill9();
  const beforeCrash = new Set(peer.docs('/archive').map((d) => d.message)).size;
  assert.ok(beforeCrash < N, `the crash must land mid-delivery (delivered ${beforeCrash} of ${N})`);
  peer.delayMs = 0;
  const again = await startVigil({ configPath, dataDir });
  try {
    await until(() => new Set(peer.docs('/archive').map((d) => d.message)).size === N, 60_000, 'every event after the restart');
    const got = peer.docs('/archive').map((d) => d.message);
    const distinct = new Set(got);
    assert.equal(distinct.size, N);
    for (const l of lines) assert.ok(distinct.has(l), `missing ${l}`);
    // At least once: a batch in flight at the crash may come twice, nothing more.
    assert.ok(got.length - N <= 50, `${got.length - N} repeats; at most the batch in flight`);
  } finally {
    await again.stop();
    await peer.close();
  }
});

test('a dead output delays nobody: ingest and the live output go on while its backlog waits on disk', async () => {
  const peer = new Peer();
  const url = await peer.start();
  const dead = http.createServer();
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
  const deadPort = (dead.address() as AddressInfo).port;
  await new Promise<void>((r) => dead.close(() => r())); // nothing listens there any more: connection refused
  const v = await startVigil({
    configPath: twoTenantConfig(`outputs:
  - { name: dead, type: http, url: "http://127.0.0.1:${deadPort}/x", retry: { initial: 1s, max: 2s } }
  - { name: live, type: http, url: "${url}/live", batch: { max_wait: 1s } }
`).path,
  });
  try {
    for (let round = 0; round < 3; round++) {
      const lines = Array.from({ length: 200 }, (_, i) => `dead-output round ${round} line ${i}`);
      const r = await api(v, TOKENS.acme.ingest, 'POST', '/api/v1/events', lines.join('\n'));
      assert.equal(r.status, 200, 'ingest is not held up by the dead output');
    }
    await until(() => peer.docs('/live').length === 600, 20_000, 'the live output to deliver everything');
    const r = await api(v, v.adminToken, 'GET', '/api/v1/outputs');
    const byName = Object.fromEntries(r.json.outputs.map((o: any) => [o.name, o]));
    assert.equal(byName.live.sent, 600);
    assert.equal(byName.dead.sent, 0);
    assert.equal(byName.dead.backlog_events, 600, 'the dead output keeps its backlog on disk');
    assert.match(byName.dead.last_error.message, /ECONNREFUSED|connect/i);
    assert.ok(['retrying', 'sending'].includes(byName.dead.state), byName.dead.state);
  } finally {
    await v.stop();
    await peer.close();
  }
});

test('a dead output past its disk limit drops its oldest events, counts them and raises an alert in _platform', async () => {
  const dead = http.createServer();
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
  const deadPort = (dead.address() as AddressInfo).port;
  await new Promise<void>((r) => dead.close(() => r()));
  const v = await startVigil({
    configPath: twoTenantConfig(`outputs:
  - { name: tiny, type: http, url: "http://127.0.0.1:${deadPort}/x", buffer: { max_bytes: 1048576 }, retry: { initial: 10s, max: 60s } }
`).path,
  });
  try {
    const pad = 'x'.repeat(900);
    for (let round = 0; round < 8; round++) {
      const lines = Array.from({ length: 500 }, (_, i) => `overflow round ${round} line ${i} ${pad}`);
      assert.equal((await api(v, TOKENS.acme.ingest, 'POST', '/api/v1/events', lines.join('\n'))).status, 200);
    }
    // Every event offered to the output: either still buffered or counted dropped. Settled means two
    // readings alike: between a batch's append and the drop that follows it, the buffer is briefly over
    // its limit with the new events already counted.
    let last = '';
    await until(async () => {
      const o = (await api(v, v.adminToken, 'GET', '/api/v1/outputs')).json.outputs[0];
      const now = `${o.dropped}/${o.backlog_events}/${o.backlog_bytes}`;
      const settled = now === last;
      last = now;
      return settled && o.dropped > 0 && o.dropped + o.backlog_events === 4000;
    }, 20_000, 'all 4,000 events offered, some dropped');
    const out = (await api(v, v.adminToken, 'GET', '/api/v1/outputs')).json.outputs[0];
    assert.ok(out.backlog_bytes <= 1048576, `backlog ${out.backlog_bytes} B stays within its 1 MiB`);
    const alert = await searchUntil(v, v.adminToken, { q: 'event.action:output-dropped', tenant: '_platform' }, (x) => x.total >= 1);
    assert.equal(alert.hits[0].event.kind, 'alert');
    assert.equal(alert.hits[0].vigil.output.name, 'tiny');
    assert.match(alert.hits[0].message, /output tiny dropped \d+ undelivered events/);
    const metrics = await api(v, v.adminToken, 'GET', '/metrics');
    assert.match(metrics.text, /vigil_output_events_total\{output="tiny",outcome="dropped"\} [1-9]/);
  } finally {
    await v.stop();
  }
});

