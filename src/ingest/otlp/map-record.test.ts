// The OTLP record -> envelope mapping: resource attributes to ECS (the semconv/Elastic table), labels for
// the rest, the record's own fields, every body shape, precedence between the layers, and the per-record
// size limit that becomes a partial success.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OtlpAnyValue, OtlpKeyValue, OtlpLogRecord, ExportLogsRequest } from '../../wire/otlp-logs.js';
import { recordEnvelope, scopeBase } from './map-record.js';
import { mapRequest } from './batches.js';

const s = (value: string): OtlpAnyValue => ({ type: 'string', value });
const i = (value: bigint): OtlpAnyValue => ({ type: 'int', value });
const attrs = (o: Record<string, OtlpAnyValue | string>, ...more: [string, string][]): OtlpKeyValue[] =>
  [...Object.entries(o), ...more].map(([key, v]) => ({ key, value: typeof v === 'string' ? s(v) : v }));
const scope = (name = '', version = '', attributes: OtlpKeyValue[] = []) => ({ name, version, attributes, droppedAttributesCount: 0 });
const resource = (o: Record<string, OtlpAnyValue | string>) => ({ attributes: attrs(o), droppedAttributesCount: 0 });

function rec(over: Partial<OtlpLogRecord> = {}): OtlpLogRecord {
  return {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    eventName: '',
    body: { type: 'empty' },
    attributes: [],
    droppedAttributesCount: 0,
    flags: 0,
    traceId: '',
    spanId: '',
    ...over,
  };
}

/** The envelope as the queue stores it (JSON), read back. */
const envelope = (r: OtlpLogRecord, base = scopeBase(resource({}), scope())) => JSON.parse(JSON.stringify(recordEnvelope(r, base)));

describe('OTLP -> ECS mapping', () => {
  test('resource attributes take their ECS names (semantic conventions, as Elastic maps them)', () => {
    const base = scopeBase(
      resource({
        'service.name': 'checkout',
        'service.version': '1.4.2',
        'service.namespace': 'shop',
        'service.instance.id': 'pod-7',
        'deployment.environment.name': 'production',
        'host.name': 'bastion2',
        'host.id': 'i-0abc',
        'host.arch': 'amd64',
        'host.ip': { type: 'array', value: [s('10.0.0.5'), s('fe80::1')] },
        'os.type': 'Linux',
        'os.description': 'Debian GNU/Linux 12 (bookworm)',
        'os.name': 'Debian GNU/Linux',
        'os.version': '12',
        'cloud.provider': 'aws',
        'cloud.platform': 'aws_ec2',
        'cloud.region': 'eu-west-2',
        'cloud.account.id': '123456789012',
        'container.id': 'c0ffee',
        'container.image.tags': { type: 'array', value: [s('v1'), s('latest')] },
        'k8s.cluster.name': 'prod-eu',
        'k8s.namespace.name': 'payments',
        'k8s.pod.name': 'checkout-7d9f',
        'k8s.node.name': 'node-3',
        'process.pid': i(4242n),
        'process.executable.path': '/usr/sbin/sshd',
        'process.owner': 'root',
        'telemetry.sdk.name': 'opentelemetry',
        'telemetry.sdk.version': '1.30.0',
        'telemetry.sdk.language': 'go',
      }),
      scope('io.opentelemetry.contrib.sshd', '0.3.0'),
    );
    const doc = envelope(rec({ body: s('line') }), base);
    assert.deepEqual(doc.service, { name: 'checkout', version: '1.4.2', namespace: 'shop', node: { name: 'pod-7' }, environment: 'production' });
    assert.deepEqual(doc.host, {
      name: 'bastion2',
      id: 'i-0abc',
      architecture: 'amd64',
      ip: ['10.0.0.5', 'fe80::1'],
      os: { platform: 'linux', type: 'linux', full: 'Debian GNU/Linux 12 (bookworm)', name: 'Debian GNU/Linux', version: '12' },
    });
    assert.deepEqual(doc.cloud, { provider: 'aws', service: { name: 'aws_ec2' }, region: 'eu-west-2', account: { id: '123456789012' } });
    assert.deepEqual(doc.container, { id: 'c0ffee', image: { tag: ['v1', 'latest'] } });
    assert.deepEqual(doc.orchestrator, { cluster: { name: 'prod-eu' }, type: 'kubernetes' });
    assert.deepEqual(doc.kubernetes, { namespace: 'payments', pod: { name: 'checkout-7d9f' }, node: { name: 'node-3' } });
    assert.deepEqual(doc.process, { pid: 4242, executable: '/usr/sbin/sshd', user: { name: 'root' } });
    assert.equal(doc.user, undefined, 'process.owner is not the acting user');
    assert.deepEqual(doc.agent, { name: 'opentelemetry', version: '1.30.0' });
    assert.deepEqual(doc.otel, { scope: { name: 'io.opentelemetry.contrib.sshd', version: '0.3.0' } });
    assert.deepEqual(doc.labels, { telemetry_sdk_language: 'go' });
  });

  test('attributes with no ECS home, or a value that does not fit it, become labels as text', () => {
    const doc = envelope(
      rec({
        attributes: attrs({
          'app.tenant.tier': 'gold',
          retries: i(3n),
          ratio: { type: 'double', value: 0.5 },
          ok: { type: 'bool', value: true },
          tags: { type: 'array', value: [s('a'), i(2n)] },
          nested: { type: 'kvlist', value: attrs({ k: 'v' }) },
          raw: { type: 'bytes', value: Buffer.from('hi') },
          'process.pid': 'not-a-pid',
          'host.ip': { type: 'array', value: [s('10.0.0.1'), s('eth0')] },
          nothing: { type: 'empty' },
        }, ['__proto__', 'kept as data']),
      }),
    );
    assert.deepEqual(doc.labels, {
      app_tenant_tier: 'gold',
      retries: '3',
      ratio: '0.5',
      ok: 'true',
      tags: ['a', '2'],
      nested: '{"k":"v"}',
      raw: 'aGk=',
      process_pid: 'not-a-pid',
      host_ip: ['10.0.0.1', 'eth0'],
      ...JSON.parse('{"__proto__":"kept as data"}'),
    });
    assert.equal(Object.getOwnPropertyDescriptor(doc.labels, '__proto__')?.value, 'kept as data', 'any key is data, not a prototype');
    assert.equal(doc.process, undefined);
    assert.equal(doc.host, undefined);
  });

  test("a record's own fields: times, severity, event name, trace context; all-zero ids are none", () => {
    const doc = envelope(
      rec({
        timeUnixNano: 1_795_420_800_123_456_789n,
        observedTimeUnixNano: 1_795_420_801_500_000_000n,
        severityNumber: 17,
        severityText: 'ERROR',
        eventName: 'user.login',
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: '0000000000000000',
        body: s('boom'),
        attributes: attrs({ 'exception.type': 'IOError', 'exception.stacktrace': 'at x', 'code.line.number': i(12n), 'client.address': '198.51.100.7', 'log.file.path': '/var/log/app.log' }),
      }),
    );
    assert.equal(doc.message, 'boom');
    assert.equal(doc['@timestamp'], '2026-11-23T08:00:00.123Z');
    assert.deepEqual(doc.event, { created: '2026-11-23T08:00:01.500Z', severity: 17, action: 'user.login' });
    assert.deepEqual(doc.log, { level: 'ERROR', origin: { file: { line: 12 } }, file: { path: '/var/log/app.log' } });
    assert.deepEqual(doc.trace, { id: '5b8efff798038103d269b633813fc60c' });
    assert.equal(doc.span, undefined);
    assert.deepEqual(doc.error, { type: 'IOError', stack_trace: 'at x' });
    assert.deepEqual(doc.client, { address: '198.51.100.7', ip: '198.51.100.7' });
    const observedOnly = envelope(rec({ observedTimeUnixNano: 1_700_000_000_000_000_000n }));
    assert.equal(observedOnly['@timestamp'], '2023-11-14T22:13:20.000Z');
    assert.equal(envelope(rec())['@timestamp'], undefined, 'no time at all: the process stage uses the receive time');
  });

  test('body shapes: a kvlist is the event\'s fields; scalars, bytes and arrays are the message as text', () => {
    const kv = envelope(
      rec({
        body: {
          type: 'kvlist',
          value: attrs({
            msg: 'Accepted publickey for bob',
            level: 'info',
            user: 'bob',
            host: { type: 'kvlist', value: attrs({ name: 'web1' }) },
            event: 'login',
            vigil: { type: 'kvlist', value: attrs({ requirements: 'B1' }) },
            count: i(3n),
          }),
        },
        attributes: attrs({ 'host.name': 'from-attribute' }),
      }),
    );
    assert.equal(kv.message, 'Accepted publickey for bob');
    assert.equal(kv.msg, undefined, 'the key that was the message is not repeated');
    assert.equal(kv.level, 'info');
    assert.equal(kv.count, 3);
    assert.deepEqual(kv.user, { name: 'bob' }, 'a plain value under an ECS object name goes to its obvious field');
    assert.deepEqual(kv.host, { name: 'web1' }, "the body's own fields win over attributes");
    assert.deepEqual(kv.otel, { body: { event: 'login', vigil: { requirements: 'B1' } } });
    assert.equal(kv.vigil, undefined, 'a sender cannot write Vigil\'s own fields');

    const journald = envelope(rec({ body: { type: 'kvlist', value: attrs({ MESSAGE: 'Started session 5', _SYSTEMD_UNIT: 'sshd.service' }) } }));
    assert.equal(journald.message, 'Started session 5');
    assert.equal(journald._SYSTEMD_UNIT, 'sshd.service');

    const noLine = envelope(rec({ body: { type: 'kvlist', value: attrs({ message: { type: 'kvlist', value: attrs({ a: 'b' }) }, k: 'v' }) } }));
    assert.equal(noLine.message, undefined);
    assert.deepEqual(noLine.otel, { body: { message: { a: 'b' } } });

    assert.equal(envelope(rec({ body: i(42n) })).message, '42');
    assert.equal(envelope(rec({ body: { type: 'bool', value: false } })).message, 'false');
    assert.equal(envelope(rec({ body: { type: 'double', value: 1.5 } })).message, '1.5');
    assert.equal(envelope(rec({ body: { type: 'bytes', value: Buffer.from('raw') } })).message, 'cmF3');
    assert.equal(envelope(rec({ body: { type: 'array', value: [s('a'), i(1n)] } })).message, '["a",1]');
    assert.equal(envelope(rec({ body: s('') })).message, undefined);
    assert.equal(envelope(rec({ body: { type: 'int', value: 2n ** 62n } })).message, '4611686018427387904');
  });

  test('precedence: record attributes over scope attributes over resource attributes', () => {
    const base = scopeBase(resource({ 'service.name': 'from-resource', 'host.name': 'h-resource', team: 'r' }), scope('sc', '', attrs({ 'service.name': 'from-scope', team: 's' })));
    const doc = envelope(rec({ body: s('x'), attributes: attrs({ team: 'record' }) }), base);
    assert.equal(doc.service.name, 'from-scope');
    assert.equal(doc.host.name, 'h-resource');
    assert.deepEqual(doc.labels, { team: 'record' });
    // The shared base is never changed by one record.
    assert.deepEqual(envelope(rec({ body: s('y') }), base).labels, { team: 's' });
  });

  test('one batch per (resource, scope); a record too long to store is refused alone and explained', () => {
    const long = 'x'.repeat(600);
    const req: ExportLogsRequest = {
      resourceLogs: [
        {
          schemaUrl: '',
          resource: resource({ 'service.name': 'a' }),
          scopeLogs: [
            { schemaUrl: '', scope: scope('one'), logRecords: [rec({ body: s('first') }), rec({ body: s(long) }), rec({ body: s('third') })] },
            { schemaUrl: '', scope: scope('empty'), logRecords: [] },
            { schemaUrl: '', scope: scope('two'), logRecords: [rec({ body: s(long) })] },
          ],
        },
        { schemaUrl: '', resource: resource({ 'service.name': 'b' }), scopeLogs: [{ schemaUrl: '', scope: scope(), logRecords: [rec({ body: s('fourth') })] }] },
      ],
    };
    const m = mapRequest(req, 512);
    assert.equal(m.accepted, 3);
    assert.equal(m.rejected, 2);
    assert.deepEqual(
      m.batches.map((b) => b.map((r) => JSON.parse(r.toString()).message)),
      [['first', 'third'], ['fourth']],
    );
    assert.match(m.problem, /^2 of 5 log records refused: longer than the limit of 512 bytes per record \(http\.max_line_bytes\); the first, resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[1\] is \d+ bytes as a Vigil event$/);
    assert.equal(mapRequest(req, 1 << 20).problem, '');
  });
});
