// The HTTP listener survives hostile clients: slow partial headers (slowloris), bytes that are not
// HTTP, and bodies cut off mid-way. Meanwhile a normal client is served, and nothing half-sent is stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startVigil, api, searchUntil } from '../helpers/server.js';
import { twoTenantConfig, TOKENS } from '../helpers/tenants.js';

test('slowloris, garbage and cut-off bodies do not stop the HTTP listener', async () => {
  const v = await startVigil({ configPath: twoTenantConfig().path });
  const { port } = new URL(v.url);
  const sockets: net.Socket[] = [];
  try {
    // 50 connections that dribble headers and never finish them.
    for (let i = 0; i < 50; i++) {
      const s = net.connect(Number(port), '127.0.0.1');
      s.on('error', () => undefined);
      s.write('POST /api/v1/events HTTP/1.1\r\nHost: x\r\n');
      sockets.push(s);
    }
    // Not HTTP at all.
    const garbage = await new Promise<string>((resolve) => {
      const s = net.connect(Number(port), '127.0.0.1', () => s.write(Buffer.from([0x16, 0x03, 0x01, 0xff, 0x00, 0x13, 0x37, 0x0d, 0x0a, 0x0d, 0x0a])));
      let out = '';
      s.on('data', (d) => (out += d.toString()));
      s.on('close', () => resolve(out));
      s.on('error', () => resolve(out));
    });
    assert.match(garbage, /^HTTP\/1\.1 400/);
    // A body announced as 1 MB, cut off after 100 bytes.
    await new Promise<void>((resolve) => {
      const s = net.connect(Number(port), '127.0.0.1', () => {
        s.write(`POST /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKENS.acme.ingest}\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n`);
        s.write('cutoffmarker '.repeat(8));
        setTimeout(() => {
          s.destroy();
          resolve();
        }, 200);
      });
      s.on('error', () => resolve());
    });
    // Meanwhile a normal client is served.
    const ok = await api(v, TOKENS.acme.ingest, 'POST', '/api/v1/events', 'served while under attack');
    assert.equal(ok.status, 200);
    const found = await searchUntil(v, TOKENS.acme.read, { q: '"served while under attack"' }, (r) => r.total === 1);
    assert.equal(found.total, 1);
    const cut = await api(v, TOKENS.acme.read, 'GET', '/api/v1/search?q=cutoffmarker&from=-1h');
    assert.equal(cut.json.total, 0, 'a body cut off mid-way is not acknowledged, so not stored');
  } finally {
    for (const s of sockets) s.destroy();
    await v.stop();
  }
});
