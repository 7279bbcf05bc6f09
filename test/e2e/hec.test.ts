// The Splunk HEC input through the real server, as a Splunk forwarder or an OTel/Vector HEC exporter
// sends: an sshd line as a string event is parsed by the sshd parser, a JSON event keeps its fields,
// raw lines, gzip, indexer acknowledgement, health, and Splunk's error codes.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { startVigil, searchUntil, type VigilProcess } from '../helpers/server.js';
import { twoTenantConfig, TOKENS } from '../helpers/tenants.js';

describe('Splunk HEC input', () => {
  let v: VigilProcess;
  before(async () => {
    v = await startVigil({ configPath: twoTenantConfig().path });
  });
  after(async () => v?.stop());

  const hec = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(v.url + path, { method: 'POST', headers: { authorization: `Splunk ${TOKENS.acme.ingest}`, ...headers }, body });

  test('events: a string is parsed like a log line, an object keeps its fields; acked on a channel', async () => {
    const channel = '2b5f2a5c-5c58-4b8c-9a86-1f0c1b3f0a11';
    const body =
      JSON.stringify({ time: 1795420800, host: 'bastion9', sourcetype: 'linux_secure', event: '<38>Nov 23 08:00:00 bastion9 sshd[77]: Failed password for hecuser from 198.51.100.23 port 4022 ssh2' }) +
      '\n' +
      JSON.stringify({ time: 1795420801.5, host: 'app1', source: '/var/log/app.json', sourcetype: '_json', event: { action: 'hec-object-test', user: 'x' }, fields: { env: 'prod' } });
    const r = await hec('/services/collector/event', gzipSync(body), { 'content-encoding': 'gzip', 'x-splunk-request-channel': channel });
    assert.equal(r.status, 200);
    const ok: any = await r.json();
    assert.equal(ok.text, 'Success');
    assert.equal(ok.code, 0);
    assert.equal(typeof ok.ackId, 'number');
    const ack = await hec('/services/collector/ack', JSON.stringify({ acks: [ok.ackId, 9999] }), { 'x-splunk-request-channel': channel });
    assert.deepEqual(await ack.json(), { acks: { [ok.ackId]: true, 9999: false } });

    const ssh = await searchUntil(v, TOKENS.acme.read, { q: 'user.name:hecuser', from: '2000-01-01T00:00:00Z' }, (x) => x.total === 1);
    assert.equal(ssh.hits[0].vigil.parse.parser, 'sshd');
    assert.equal(ssh.hits[0].splunk.sourcetype, 'linux_secure', 'the envelope metadata is kept beside the parsed line');
    assert.equal(ssh.hits[0].source.ip, '198.51.100.23');
    assert.ok(ssh.hits[0].vigil.requirements.includes('B1.4'));
    const obj = await searchUntil(v, TOKENS.acme.read, { q: 'splunk.sourcetype:_json', from: '2000-01-01T00:00:00Z' }, (x) => x.total === 1);
    assert.equal(obj.hits[0].host.name, 'app1');
    assert.equal(obj.hits[0]['@timestamp'], '2026-11-23T08:00:01.500Z');
    assert.deepEqual(obj.hits[0].splunk.fields, { env: 'prod' });
  });

  test('raw lines; health; Splunk codes for missing data, blank events and bad tokens', async () => {
    const raw = await hec('/services/collector/raw?sourcetype=syslog', 'first raw hec line\nsecond raw hec line\n');
    assert.equal(raw.status, 200);
    await searchUntil(v, TOKENS.acme.read, { q: '"raw hec line"', from: '-1h' }, (x) => x.total === 2);
    const health = await fetch(v.url + '/services/collector/health');
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { text: 'HEC is healthy', code: 17 });
    const none = await hec('/services/collector/event', '');
    assert.equal(none.status, 400);
    assert.deepEqual(await none.json(), { text: 'No data', code: 5 });
    const blank = await hec('/services/collector/event', '{"event":"ok"}{"event":""}');
    assert.equal(blank.status, 400);
    assert.deepEqual(await blank.json(), { text: 'Event field cannot be blank', code: 13, 'invalid-event-number': 1 });
    const missing = await fetch(v.url + '/services/collector/event', { method: 'POST', body: '{"event":"x"}' });
    assert.equal(missing.status, 401);
    assert.deepEqual(await missing.json(), { text: 'Token is required', code: 2 });
    const bad = await fetch(v.url + '/services/collector/event', { method: 'POST', headers: { authorization: 'Splunk not-a-token-0123456789' }, body: '{"event":"x"}' });
    assert.equal(bad.status, 403);
    assert.deepEqual(await bad.json(), { text: 'Invalid token', code: 4 });
  });
});
