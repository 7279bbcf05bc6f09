// Each notification channel against a real receiver on loopback: an HTTP server, a TCP and a UDP
// syslog listener, and an SMTP server (the smtp-server package, which speaks real SMTP to nodemailer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as httpServer } from 'node:http';
import { createServer as tcpServer } from 'node:net';
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { postJson, SendError, sendEmail, sendSyslog } from './transports.js';
import { cefLine, emailText, rfc5424Line, slackPayload } from './formats.js';
import type { AlertView } from './alert-view.js';

const ALERT: AlertView = {
  id: 'al_0123',
  tenant: 'acme',
  rule: { id: 'r-1', title: 'Brute force | "quoted" = x', kind: 'correlation', level: 'high', tags: ['attack.t1110.001', 'attack.credential-access'] },
  attack: ['T1110.001'],
  group_by: { 'user.name': 'alice', 'source.ip': '10.0.0.9' },
  first_time: '2026-11-23T10:00:00.000Z',
  last_time: '2026-11-23T10:04:00.000Z',
  created_at: '2026-11-23T10:04:01.000Z',
  updated_at: '2026-11-23T10:04:01.000Z',
  count: 12,
  event_ids: ['1', '2'],
  sample: null,
};

test('webhook: JSON POST; an error status is a SendError carrying Retry-After', async () => {
  const got: { body: string; ct: string | undefined; auth: string | undefined }[] = [];
  let status = 503;
  const srv = httpServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      got.push({ body, ct: req.headers['content-type'], auth: req.headers.authorization });
      res.writeHead(status, status === 503 ? { 'retry-after': '7' } : {}).end();
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/hook`;
  try {
    await assert.rejects(postJson(url, ALERT, { authorization: 'Bearer x' }), (e: unknown) => e instanceof SendError && e.retryAfterMs === 7000 && /HTTP 503/.test(e.message));
    status = 204;
    await postJson(url, slackPayload(ALERT), {});
    assert.equal(got.length, 2);
    assert.deepEqual(JSON.parse(got[0]!.body), ALERT);
    assert.equal(got[0]!.auth, 'Bearer x');
    assert.equal(got[0]!.ct, 'application/json');
    const slack = JSON.parse(got[1]!.body);
    assert.match(slack.text, /^\[high\] Brute force .* \(tenant acme\): user\.name=alice, source\.ip=10\.0\.0\.9, 12 event\(s\)/);
    assert.equal(slack.blocks[0].type, 'header');
  } finally {
    srv.close();
  }
  await assert.rejects(postJson('http://127.0.0.1:1/none', ALERT, {}), /POST http:\/\/127\.0\.0\.1:1\/none/);
});

test('syslog over TCP: one octet-counted RFC 5424 frame carrying CEF; and over UDP', async () => {
  let received = Buffer.alloc(0);
  const srv = tcpServer((s) => s.on('data', (d) => (received = Buffer.concat([received, d]))));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  const line = rfc5424Line(ALERT, cefLine(ALERT, '0.1.0'), 'vigil-host');
  await sendSyslog(`tcp://127.0.0.1:${port}`, line);
  await new Promise((r) => setTimeout(r, 100));
  srv.close();
  const text = received.toString();
  const m = /^(\d+) (.*)$/s.exec(text)!;
  assert.equal(Number(m[1]), Buffer.byteLength(m[2]!), 'octet count matches the frame');
  assert.match(m[2]!, /^<163>1 \S+ vigil-host vigil - alert \[vigil@32473 alert="al_0123" tenant="acme" rule="r-1" level="high" count="12"\] CEF:0\|Vigil\|Vigil\|0\.1\.0\|r-1\|Brute force \\\| "quoted" = x\|8\|/);
  assert.match(m[2]!, / cs1=acme /);
  assert.match(m[2]!, / cs3=user.name\\=alice,source.ip\\=10.0.0.9 /);

  const udp = createSocket('udp4');
  const got = new Promise<string>((r) => udp.once('message', (d) => r(d.toString())));
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
  await sendSyslog(`udp://127.0.0.1:${udp.address().port}`, 'hello over udp');
  assert.equal(await got, 'hello over udp');
  udp.close();
  await assert.rejects(sendSyslog('tcp://127.0.0.1:1', 'x'), SendError);
});

test('email over SMTP to a real server on loopback', async () => {
  const mails: { from: string; to: string[]; data: string }[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, cb) {
      let data = '';
      stream.on('data', (d: Buffer) => (data += d.toString()));
      stream.on('end', () => {
        mails.push({ from: String((session.envelope.mailFrom as { address: string }).address), to: session.envelope.rcptTo.map((r) => r.address), data });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const port = (smtp.server.address() as AddressInfo).port;
  try {
    const { subject, text } = emailText(ALERT);
    await sendEmail(`smtp://127.0.0.1:${port}`, 'vigil@example.org', ['soc@example.org', 'oncall@example.org'], subject, text);
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.from, 'vigil@example.org');
    assert.deepEqual(mails[0]!.to, ['soc@example.org', 'oncall@example.org']);
    // The subject is MIME-encoded (it has quotes and a pipe); the body is plain.
    assert.match(mails[0]!.data, /Subject: =\?UTF-8\?Q\?=5BVigil_high=5D_Brute_force/);
    assert.match(mails[0]!.data, /Rule: r-1 \(correlation\)/);
    assert.match(mails[0]!.data, /user\.name: alice/);
  } finally {
    await new Promise<void>((r) => smtp.close(() => r()));
  }
  await assert.rejects(sendEmail('smtp://127.0.0.1:1', 'a@b.c', ['d@e.f'], 's', 't'), SendError);
});
