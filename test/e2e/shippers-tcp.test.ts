// The TCP shipper inputs through the real server: a Fluent Bit-style forward message and Filebeat- and
// Winlogbeat-style Lumberjack windows are acknowledged, stored under the listener's tenant, parsed
// (the envelope's line by the sshd parser, Winlogbeat's document by the windows parser) and searchable.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { encode, decode, ExtensionCodec } from '@msgpack/msgpack';
import { startVigil, searchUntil, ROOT, type VigilProcess } from '../helpers/server.js';
import { twoTenantConfig, TOKENS } from '../helpers/tenants.js';

const RANGE = { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' };

/** Sends bytes on a fresh connection and resolves with the first `n` bytes answered. */
function exchange(port: number, bytes: Buffer, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    const s = net.connect(port, '127.0.0.1', () => s.write(bytes));
    s.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (got.length >= n) {
        s.end();
        resolve(got.subarray(0, n));
      }
    });
    s.on('error', reject);
    s.on('close', () => reject(new Error(`closed after ${got.length} of ${n} bytes`)));
    setTimeout(() => reject(new Error('no answer in 10 s')), 10_000).unref();
  });
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

describe('TCP shipper inputs (Fluent forward, Beats)', () => {
  let v: VigilProcess;
  let forwardPort = 0;
  let beatsPort = 0;
  before(async () => {
    const cfg = twoTenantConfig(`fluent_forward:
  - { listen: 127.0.0.1:0, tenant: acme }
beats:
  - { listen: 127.0.0.1:0, tenant: acme }
`);
    // The bound ports are in the start-up log line ("vigil is running"), which info level shows.
    v = await startVigil({ configPath: cfg.path, env: { VIGIL_LOG_LEVEL: 'info' } });
    let running: any;
    for (let i = 0; i < 100 && !running; i++) {
      running = v
        .stderr()
        .split('\n')
        .filter((l) => l.includes('vigil is running'))
        .map((l) => JSON.parse(l))[0];
      if (!running) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(running, v.stderr().slice(-2000));
    for (const s of running.shippers) {
      if (s.input === 'fluent-forward') forwardPort = s.port;
      if (s.input === 'beats') beatsPort = s.port;
    }
    assert.ok(forwardPort > 0 && beatsPort > 0, JSON.stringify(running));
  });
  after(async () => v?.stop());

  test('a Fluent Bit tail record with an sshd line in `log`: acked, parsed by sshd, the envelope fills the rest', async () => {
    // Fluent Bit's EventTime: ext type 0, u32 seconds and u32 nanoseconds.
    class EventTime {
      constructor(readonly ms: number) {}
    }
    const ext = new ExtensionCodec();
    ext.register({ type: 0, encode: (x) => (x instanceof EventTime ? Buffer.concat([u32(Math.floor(x.ms / 1000)), u32((x.ms % 1000) * 1e6)]) : null), decode: (d) => d });
    const line = 'Nov 23 08:00:01 bastion1 sshd[4242]: Failed password for bob from 198.51.100.9 port 22 ssh2';
    const msg = encode(['tail.auth', new EventTime(Date.now()), { log: line, stream: 'stdout', container_name: '/sshd-box' }, { chunk: 'ZTJlLWZvcndhcmQtMDAwMQ==' }], { extensionCodec: ext });
    const expected = Buffer.from(encode({ ack: 'ZTJlLWZvcndhcmQtMDAwMQ==' }));
    const answer = await exchange(forwardPort, Buffer.from(msg), expected.length);
    assert.deepEqual(answer, expected);
    assert.deepEqual(decode(answer), { ack: 'ZTJlLWZvcndhcmQtMDAwMQ==' });

    const r = await searchUntil(v, TOKENS.acme.read, { q: 'vigil.input:fluent-forward', ...RANGE }, (x) => x.total === 1);
    const hit = r.hits[0];
    assert.equal(hit.vigil.parse.parser, 'sshd', JSON.stringify(hit.vigil));
    assert.equal(hit.vigil.parse.status, 'parsed');
    assert.equal(hit.user.name, 'bob');
    assert.equal(hit.source.ip, '198.51.100.9');
    assert.equal(hit.host.name, 'bastion1');
    assert.equal(hit.event.original, line);
    assert.equal(hit.fluent.tag, 'tail.auth');
    assert.equal(hit.container.name, 'sshd-box');
    assert.equal(hit.stream, 'stdout');
  });

  test('a Filebeat event with an sshd line in `message`: acked with its sequence number, parsed by sshd', async () => {
    const line = 'Nov 23 08:00:02 bastion2 sshd[4243]: Failed password for alice from 198.51.100.10 port 22 ssh2';
    const doc = {
      '@timestamp': new Date().toISOString(),
      '@metadata': { beat: 'filebeat', type: '_doc', version: '8.17.0' },
      message: line,
      log: { file: { path: '/var/log/auth.log' }, offset: 2048 },
      input: { type: 'filestream' },
      agent: { type: 'filebeat', version: '8.17.0', name: 'bastion2' },
      ecs: { version: '8.0.0' },
    };
    const payload = Buffer.from(JSON.stringify(doc));
    const window = Buffer.concat([Buffer.from('2W'), u32(1), Buffer.from('2J'), u32(1), u32(payload.length), payload]);
    assert.deepEqual(await exchange(beatsPort, window, 6), Buffer.concat([Buffer.from('2A'), u32(1)]));

    const r = await searchUntil(v, TOKENS.acme.read, { q: 'vigil.input:beats and user.name:alice', ...RANGE }, (x) => x.total === 1);
    const hit = r.hits[0];
    assert.equal(hit.vigil.parse.parser, 'sshd', JSON.stringify(hit.vigil));
    assert.equal(hit.source.ip, '198.51.100.10');
    assert.equal(hit.host.name, 'bastion2');
    assert.equal(hit.event.original, line);
    assert.equal(hit.log.file.path, '/var/log/auth.log');
    assert.equal(hit.agent.type, 'filebeat');
    assert.equal(hit['@metadata'], undefined);
  });

  test('Winlogbeat events in a compressed window go to the windows parser whole', async () => {
    const docs = readFileSync(join(ROOT, 'src/process/parsers/windows/fixtures/security-logon-winlogbeat.ndjson'), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => ({ ...JSON.parse(l), '@metadata': { beat: 'winlogbeat', type: '_doc', version: '8.15.0' } }));
    const frames = Buffer.concat(docs.map((d, i) => {
      const p = Buffer.from(JSON.stringify(d));
      return Buffer.concat([Buffer.from('2J'), u32(i + 1), u32(p.length), p]);
    }));
    const z = deflateSync(frames);
    const window = Buffer.concat([Buffer.from('2W'), u32(docs.length), Buffer.from('2C'), u32(z.length), z]);
    assert.deepEqual(await exchange(beatsPort, window, 6), Buffer.concat([Buffer.from('2A'), u32(docs.length)]));
    const r = await searchUntil(v, TOKENS.acme.read, { q: 'vigil.input:beats and vigil.parse.parser:windows', limit: '100', ...RANGE }, (x) => x.total === docs.length);
    assert.ok(r.hits.every((h: any) => h.winlog !== undefined || h.event?.code !== undefined));
    assert.ok(r.hits.some((h: any) => h.vigil.requirements?.length > 0));
  });
});
