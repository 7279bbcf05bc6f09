// The OTLP/HTTP logs input through the real server, as the OpenTelemetry Collector's otlphttp exporter
// sends: a protobuf ExportLogsServiceRequest (assembled by hand, sharing no code with Vigil) whose record
// is an sshd line from the resource service.name=sshd, host.name=bastion2 becomes a searchable event with
// those fields; OTLP/JSON with gzip; and OTLP's answers for a bad body, a missing token and a read token.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { startVigil, searchUntil, type VigilProcess } from '../helpers/server.js';
import { twoTenantConfig, TOKENS } from '../helpers/tenants.js';
import { handExportRequest } from '../helpers/otlp-proto.js';

describe('OTLP/HTTP logs input', () => {
  let v: VigilProcess;
  before(async () => {
    v = await startVigil({ configPath: twoTenantConfig().path });
  });
  after(async () => v?.stop());

  const otlp = (body: Buffer | string, contentType: string, headers: Record<string, string> = {}) =>
    fetch(v.url + '/v1/logs', { method: 'POST', headers: { authorization: `Bearer ${TOKENS.acme.ingest}`, 'content-type': contentType, ...headers }, body });

  test('a protobuf export of an sshd line from service sshd on bastion2 is a searchable event with both', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const body = handExportRequest({
      resource: { 'service.name': 'sshd', 'host.name': 'bastion2' },
      scope: { name: 'github.com/open-telemetry/opentelemetry-collector-contrib/receiver/filelogreceiver' },
      records: [{ time: now, observed: now, severityText: 'INFO', body: 'Failed password for alice from 198.51.100.7 port 4022 ssh2', attributes: { 'log.file.path': '/var/log/auth.log' } }],
    });
    const r = await otlp(body, 'application/x-protobuf');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/x-protobuf');
    assert.equal((await r.arrayBuffer()).byteLength, 0);

    const found = await searchUntil(v, TOKENS.acme.read, { q: 'host.name:bastion2 and service.name:sshd', from: '-1h' }, (x) => x.total === 1);
    const ev = found.hits[0];
    assert.equal(ev.host.name, 'bastion2');
    assert.equal(ev.service.name, 'sshd');
    assert.equal(ev.event.original, 'Failed password for alice from 198.51.100.7 port 4022 ssh2');
    assert.equal(ev.log.file.path, '/var/log/auth.log');
    assert.equal(ev.log.level, 'INFO');
    assert.equal(ev.vigil.input, 'otlp');
  });

  // A bare body line names no program; the sshd parser is bound to its programs (sshd, sshd-session…),
  // and the process stage takes the program from the envelope's service.name (or process.name).
  test('the bare sshd line is read by the sshd parser', async () => {
    const found = await searchUntil(v, TOKENS.acme.read, { q: 'host.name:bastion2 and service.name:sshd and "alice"', from: '-1h' }, (x) => x.total === 1);
    const ev = found.hits[0];
    assert.equal(ev.vigil.parse.parser, 'sshd');
    assert.equal(ev.user.name, 'alice');
    assert.equal(ev.source.ip, '198.51.100.7');
    assert.ok(ev.vigil.requirements.includes('B2.2'));
  });

  test('the same line with its syslog header is parsed by the sshd parser', async () => {
    const line = '<38>Nov 23 08:00:00 bastion2 sshd[77]: Failed password for otlpuser from 198.51.100.8 port 4022 ssh2';
    const body = handExportRequest({ resource: { 'service.name': 'sshd', 'host.name': 'bastion2' }, records: [{ body: line }] });
    assert.equal((await otlp(body, 'application/x-protobuf')).status, 200);
    const found = await searchUntil(v, TOKENS.acme.read, { q: 'user.name:otlpuser', from: '2000-01-01T00:00:00Z' }, (x) => x.total === 1);
    const ev = found.hits[0];
    assert.equal(ev.vigil.parse.parser, 'sshd');
    assert.equal(ev.source.ip, '198.51.100.8');
    assert.equal(ev.service.name, 'sshd');
    assert.ok(ev.vigil.requirements.includes('B2.2'));
  });

  test('OTLP/JSON with gzip; a bad body is 400 with a Status; no token 401; a read token 403', async () => {
    const doc = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'otlp-json-e2e' } }] },
          scopeLogs: [{ logRecords: [{ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), body: { stringValue: 'json over otlp e2e' }, attributes: [{ key: 'team', value: { stringValue: 'sec' } }] }] }],
        },
      ],
    };
    const ok = await otlp(gzipSync(JSON.stringify(doc)), 'application/json', { 'content-encoding': 'gzip' });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), {});
    const found = await searchUntil(v, TOKENS.acme.read, { q: 'service.name:otlp-json-e2e', from: '-1h' }, (x) => x.total === 1);
    assert.deepEqual(found.hits[0].labels, { team: 'sec' });

    const bad = await otlp('{"resourceLogs":', 'application/json');
    assert.equal(bad.status, 400);
    const status: any = await bad.json();
    assert.equal(status.code, 3);
    assert.match(status.message, /^body: not valid JSON/);

    const none = await fetch(v.url + '/v1/logs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(none.status, 401);
    assert.equal(((await none.json()) as any).code, 16);
    const read = await fetch(v.url + '/v1/logs', { method: 'POST', headers: { authorization: `Bearer ${TOKENS.acme.read}`, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(read.status, 403);
    assert.equal(((await read.json()) as any).code, 7);
  });
});
