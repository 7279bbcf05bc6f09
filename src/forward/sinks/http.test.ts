// The NDJSON output against a Fastify server: one ECS document per line with vigil.tenant and
// vigil.id, its headers and credentials; and TLS for every HTTP output (they share http-client.ts):
// a private CA, mutual TLS, and what happens without them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { makeCert } from '../../../test/helpers/tenants.js';
import { harness } from './test-harness.js';
import { SinkError, type OutEvent } from '../sink.js';
import { httpSink } from './http.js';

const { sink, servers } = harness(httpSink, 'lake');

interface Req {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  clientCert?: string;
}

async function receiver(https?: { cert: string; key: string; requestCert?: boolean }) {
  const app: FastifyInstance = https
    ? Fastify({ https: { cert: readFileSync(https.cert), key: readFileSync(https.key), ...(https.requestCert ? { requestCert: true, rejectUnauthorized: true, ca: readFileSync(https.cert) } : {}) } })
    : Fastify();
  const got: Req[] = [];
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_r, body, done) => done(null, body));
  app.post('/*', async (req, reply) => {
    const peer = (req.raw.socket as TLSSocket).getPeerCertificate?.();
    got.push({ url: req.url, headers: req.headers, body: req.body as string, ...(peer?.subject ? { clientCert: String(peer.subject.CN) } : {}) });
    return reply.status(202).send();
  });
  servers.push(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, got, url: `${https ? 'https' : 'http'}://${https ? 'localhost' : '127.0.0.1'}:${(app.server.address() as AddressInfo).port}` };
}

const EVENTS: OutEvent[] = [
  { tenant: 'acme', id: '11', doc: { '@timestamp': '2024-03-01T12:00:00.000Z', message: 'one', event: { original: 'one' } } },
  { tenant: 'globex', id: '12', doc: { '@timestamp': '2024-03-01T12:00:01.000Z', message: 'two\nlines', user: { name: 'ünï' } } },
];

test('NDJSON: a document per line with vigil.tenant and vigil.id; configured headers; any 2xx is delivered', async () => {
  const r = await receiver();
  await sink({ url: `${r.url}/v1/ingest?src=vigil`, headers: { 'X-Team': 'soc', 'content-type': 'text/plain' }, token: 'bear' }).send(EVENTS);
  const [req] = r.got;
  assert.equal(req!.url, '/v1/ingest?src=vigil');
  assert.equal(req!.headers['content-type'], 'application/x-ndjson', 'the format\'s own content type wins');
  assert.equal(req!.headers['x-team'], 'soc');
  assert.equal(req!.headers.authorization, 'Bearer bear');
  assert.ok(req!.body.endsWith('\n'));
  assert.deepEqual(
    req!.body.trimEnd().split('\n').map((l) => JSON.parse(l)),
    EVENTS.map((e) => ({ ...e.doc, vigil: { tenant: e.tenant, id: e.id } })),
  );
  await sink({ url: `${r.url}/x`, username: 'u', password: 'p w' }).send(EVENTS);
  assert.equal(r.got[1]!.headers.authorization, `Basic ${Buffer.from('u:p w').toString('base64')}`);
  assert.equal(httpSink.options.safeParse({ url: r.url, token: 'a', username: 'u', password: 'p' }).success, false);
  assert.equal(httpSink.options.safeParse({ url: r.url, headers: { 'bad header': 'x' } }).success, false);
  await r.app.close();
});

test('TLS: a private CA (file or PEM), mutual TLS; an untrusted certificate fails retryably unless told not to check', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-http-tls-'));
  const { cert, key } = makeCert(dir);
  const r = await receiver({ cert, key });
  await sink({ url: r.url, tls: { ca: cert } }).send(EVENTS);
  await sink({ url: r.url.replace('localhost', '127.0.0.1'), tls: { ca: readFileSync(cert, 'utf8') } }).send(EVENTS);
  assert.equal(r.got.length, 2);
  const e = await sink({ url: r.url }).send(EVENTS).then(() => null, (x: unknown) => x);
  assert.ok(e instanceof SinkError, String(e));
  assert.equal(e.opts.permanent, undefined);
  assert.match(e.message, /SELF_SIGNED|self.signed/i);
  await sink({ url: r.url, tls: { reject_unauthorized: false } }).send(EVENTS);
  assert.equal(r.got.length, 3);
  await r.app.close();

  const mtls = await receiver({ cert, key, requestCert: true });
  await sink({ url: mtls.url, tls: { ca: cert, cert, key } }).send(EVENTS);
  assert.equal(mtls.got[0]!.clientCert, 'localhost', 'the client certificate was presented and checked');
  const noCert = await sink({ url: mtls.url, tls: { ca: cert } }).send(EVENTS).then(() => null, (x: unknown) => x);
  assert.ok(noCert instanceof SinkError, String(noCert));
  assert.equal(httpSink.options.safeParse({ url: mtls.url, tls: { cert } }).success, false, 'cert without key');
  await mtls.app.close();
});
