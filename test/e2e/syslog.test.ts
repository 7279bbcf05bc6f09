// Syslog listeners over real sockets: LF and octet-counted TCP, UDP, TLS, and hostile senders.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import dgram from 'node:dgram';
import { startVigil, searchUntil, api, type VigilProcess } from '../helpers/server.js';
import { twoTenantConfig, TOKENS } from '../helpers/tenants.js';

function sendTcp(port: number, payload: Buffer | string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.end(payload));
    s.on('close', () => resolve());
    s.on('error', reject);
  });
}

function octet(msg: string): string {
  return `${Buffer.byteLength(msg)} ${msg}`;
}

describe('syslog inputs', () => {
  let v: VigilProcess;
  before(async () => {
    v = await startVigil({ configPath: twoTenantConfig().path });
  });
  after(async () => v?.stop());

  test('TCP with LF framing: RFC 3164 and 5424 headers map to ECS', async () => {
    const lines = [
      '<38>Nov 23 08:00:01 bastion1 sshd[4242]: Accepted publickey for alice from 10.9.8.7 port 50000 ssh2: ED25519 SHA256:abc lftest',
      '<165>1 2026-11-23T08:00:02.123Z web01 myapp 77 ID47 [exampleSDID@32473 iut="3" eventSource="Application"] lftest 5424 message',
      'Nov 23 08:00:03 host2 CRON: lftest no pid and no PRI',
    ];
    await sendTcp(v.syslog.tcp!, lines.join('\n') + '\n');
    const r = await searchUntil(v, TOKENS.acme.read, { q: 'lftest' }, (x) => x.total === 3);
    const by = (h: string) => r.hits.find((x: any) => x.host?.name === h);
    const a = by('bastion1');
    assert.equal(a.process.name, 'sshd');
    assert.equal(a.process.pid, 4242);
    assert.equal(a.log.syslog.facility.code, 4);
    assert.equal(a.log.syslog.severity.code, 6);
    assert.equal(a.vigil.input, 'syslog-tcp');
    assert.ok(a.event.ingested);
    const b = by('web01');
    assert.equal(b['@timestamp'], '2026-11-23T08:00:02.123Z');
    assert.equal(b.log.syslog.msgid, 'ID47');
    assert.deepEqual(b.log.syslog.structured_data['exampleSDID@32473'], { iut: '3', eventSource: 'Application' });
    assert.equal(b.message, 'lftest 5424 message');
    const c = by('host2');
    assert.equal(c.process.name, 'CRON');
    assert.equal(c.process.pid, undefined);
  });

  test('TCP with RFC 6587 octet counting, messages containing newlines, split across writes', async () => {
    const m1 = '<13>1 2026-11-23T09:00:00Z h1 app - - - octettest first\nwith a newline inside';
    const m2 = '<13>1 2026-11-23T09:00:01Z h1 app - - - octettest second';
    const stream = Buffer.from(octet(m1) + octet(m2));
    await new Promise<void>((resolve, reject) => {
      const s = net.connect(v.syslog.tcp!, '127.0.0.1', async () => {
        for (let i = 0; i < stream.length; i += 7) {
          s.write(stream.subarray(i, i + 7));
          await new Promise((r) => setImmediate(r));
        }
        s.end();
      });
      s.on('close', () => resolve());
      s.on('error', reject);
    });
    const r = await searchUntil(v, TOKENS.acme.read, { q: 'octettest' }, (x) => x.total === 2);
    const msgs = r.hits.map((h: any) => h.message).sort();
    assert.deepEqual(msgs, ['octettest first\nwith a newline inside', 'octettest second']);
  });

  test('UDP datagrams', async () => {
    const sock = dgram.createSocket('udp4');
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((r) => sock.send(`<14>Nov 23 10:00:0${i} udphost app[1]: udptest ${i}`, v.syslog.udp!, '127.0.0.1', () => r()));
    }
    sock.close();
    const r = await searchUntil(v, TOKENS.acme.read, { q: 'udptest' }, (x) => x.total === 5);
    assert.equal(r.hits[0].vigil.input, 'syslog-udp');
  });

  test('TLS (RFC 5425) into its own tenant', async () => {
    await new Promise<void>((resolve, reject) => {
      const s = tls.connect({ port: v.syslog.tls!, host: '127.0.0.1', rejectUnauthorized: false }, () => {
        s.end(octet('<86>1 2026-11-23T11:00:00Z tlshost sudo - - - tlstest over tls'));
      });
      s.on('close', () => resolve());
      s.on('error', reject);
    });
    const r = await searchUntil(v, TOKENS.globex.read, { q: 'tlstest' }, (x) => x.total === 1);
    assert.equal(r.hits[0].vigil.input, 'syslog-tls');
    assert.equal(r.hits[0].vigil.tenant, 'globex');
    const none = await api(v, TOKENS.acme.read, 'GET', '/api/v1/search?q=tlstest&from=-30d&to=now%2B1d');
    assert.equal(none.json.total, 0, 'the TLS listener is bound to globex, not acme');
  });

  test('hostile senders: garbage, non-UTF-8, NULs, huge lines, abrupt resets, idle half-frames; the listener survives', async () => {
    await sendTcp(v.syslog.tcp!, Buffer.concat([Buffer.from('\x00\xff\xfe garbage hostiletest \xc3\x28 bytes\n', 'latin1'), Buffer.from('<999>not a pri hostiletest\n')]));
    await sendTcp(v.syslog.tcp!, 'hostiletest ' + 'A'.repeat(200 * 1024) + '\nhostiletest after the huge line\n');
    // Abrupt reset mid-frame.
    await new Promise<void>((resolve) => {
      const s = net.connect(v.syslog.tcp!, '127.0.0.1', () => {
        s.write('<13>Nov 23 10:00:00 h app: half a fra');
        s.resetAndDestroy();
        resolve();
      });
      s.on('error', () => resolve());
    });
    // A slow sender holding a half frame open does not block others.
    const idle = net.connect(v.syslog.tcp!, '127.0.0.1');
    idle.on('error', () => undefined);
    idle.write('<13>Nov 23 10:00:00 h app: never finished');
    await sendTcp(v.syslog.tcp!, '<13>Nov 23 10:00:00 h app: hostiletest still serving\n');
    const r = await searchUntil(v, TOKENS.acme.read, { q: 'hostiletest' }, (x) => x.total >= 5);
    const originals: string[] = r.hits.map((h: any) => h.event.original);
    assert.ok(originals.some((o) => o.includes('still serving')));
    assert.ok(originals.some((o) => o.includes('after the huge line')));
    const huge = r.hits.find((h: any) => h.event.original.startsWith('hostiletest AAAA'));
    assert.ok(huge, 'the huge line is kept, truncated');
    assert.equal(huge.vigil.parse.truncated, true);
    assert.equal(huge.event.original.length, 64 * 1024);
    const bin = r.hits.find((h: any) => h.event.original.includes('garbage'));
    assert.equal(bin.vigil.parse.encoding, 'latin1');
    idle.destroy();
  });
});
