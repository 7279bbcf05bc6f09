import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capLine, ecsLabels, isoOfNs, streamRecords } from './envelope.js';
import type { LokiStream } from '../../wire/loki-push.js';

const set = (o: Record<string, string>) => Object.assign(Object.create(null), o) as Record<string, string>;
const docs = (s: LokiStream, max = 1024) => streamRecords(s, max).map((r) => ({ ...JSON.parse(r.data.toString('utf8')), truncated: r.truncated }));

const SSHD = 'Nov 23 08:00:00 bastion1 sshd[77]: Failed password for root from 203.0.113.7 port 52144 ssh2';

test('an entry: the line as message, ms time plus exact nanoseconds, labels, and the mapped ECS fields', () => {
  const stream: LokiStream = { labels: set({ job: 'varlogs', host: 'bastion1', filename: '/var/log/auth.log' }), entries: [{ ns: 1795420800123456789n, line: SSHD }] };
  assert.deepEqual(docs(stream), [
    {
      '@timestamp': '2026-11-23T08:00:00.123Z',
      message: SSHD,
      labels: { job: 'varlogs', host: 'bastion1', filename: '/var/log/auth.log' },
      host: { name: 'bastion1' },
      log: { file: { path: '/var/log/auth.log' } },
      loki: { timestamp_ns: '1795420800123456789' },
      truncated: false,
    },
  ]);
});

test('label -> field: the first label present wins; job and instance map to nothing', () => {
  const [d] = docs({
    labels: set({ hostname: 'h2', host_name: 'h3', app: 'api', service: 'svc', level: 'warn', container_name: 'web', job: 'docker', instance: '10.0.0.1:9100' }),
    entries: [{ ns: 1n, line: 'x' }],
  });
  assert.deepEqual(d.host, { name: 'h2' });
  assert.deepEqual(d.service, { name: 'svc' });
  assert.deepEqual(d.log, { level: 'warn' });
  assert.deepEqual(d.container, { name: 'web' });
  assert.equal(d.labels.job, 'docker');
  assert.equal(d.labels.instance, '10.0.0.1:9100');
});

test('structured metadata joins labels; one that clashes with a stream label is name_extracted; dots become _', () => {
  const stream: LokiStream = {
    labels: set({ job: 'j', 'k8s.ns': 'prod' }),
    entries: [
      { ns: 2n, line: 'a', metadata: set({ trace_id: 't1', job: 'other', 'service.name': 'checkout' }) },
      { ns: 3n, line: 'b' },
    ],
  };
  const [a, b] = docs(stream);
  assert.deepEqual(a.labels, { job: 'j', k8s_ns: 'prod', trace_id: 't1', job_extracted: 'other', service_name: 'checkout' });
  assert.deepEqual(a.service, { name: 'checkout' }, 'metadata feeds the mapped fields too');
  assert.deepEqual(b.labels, { job: 'j', k8s_ns: 'prod' }, "one entry's metadata is not another's");
  assert.equal(b.service, undefined);
  assert.deepEqual({ ...ecsLabels(set({ 'a.b': '1' }), set({ a_b: '2' })) }, { a_b: '1', a_b_extracted: '2' });
});

test('no time (0): no @timestamp, so the receive time is used; no labels: no labels object', () => {
  assert.deepEqual(docs({ labels: set({}), entries: [{ ns: 0n, line: 'x' }] }), [{ message: 'x', truncated: false }]);
});

test('a line over the limit is cut on a character boundary and flagged', () => {
  assert.deepEqual(capLine('abcdef', 4), { line: 'abcd', truncated: true });
  assert.deepEqual(capLine('éééé', 5), { line: 'éé', truncated: true });
  assert.deepEqual(capLine('😀😀', 7), { line: '😀', truncated: true });
  assert.deepEqual(capLine('short', 5), { line: 'short', truncated: false });
  const [long, short] = docs({ labels: set({ a: 'b' }), entries: [{ ns: 1n, line: 'x'.repeat(50) }, { ns: 2n, line: 'ok' }] }, 10);
  assert.equal(long.message, 'x'.repeat(10));
  assert.equal(long.truncated, true);
  assert.equal(short.truncated, false);
});

test('times: milliseconds rounded down, also before 1970', () => {
  assert.equal(isoOfNs(1795420800999999999n), '2026-11-23T08:00:00.999Z');
  assert.equal(isoOfNs(-1n), '1969-12-31T23:59:59.999Z');
  assert.equal(isoOfNs(1_000_000n), '1970-01-01T00:00:00.001Z');
});

test('odd label names and values stay JSON-safe', () => {
  const [d] = docs({ labels: set({ ['__proto__']: 'p', q: 'say "hi"\n' }), entries: [{ ns: 1n, line: '{"not":"parsed here"}' }] });
  assert.equal(Object.getOwnPropertyDescriptor(d.labels, '__proto__')?.value, 'p');
  assert.equal(d.labels.q, 'say "hi"\n');
  assert.equal(d.message, '{"not":"parsed here"}');
});
