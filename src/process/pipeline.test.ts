import { test } from 'node:test';
import assert from 'node:assert/strict';
import { processEntry, processRecord, eventId } from './pipeline.js';
import { ParserRegistry } from './parsers/registry.js';
import { defineParser } from './parsers/define.js';
import type { EntryMeta } from '../queue/entry.js';

const received = new Date('2026-11-23T12:00:00Z');
const meta = (codec: EntryMeta['codec'], extra: Partial<EntryMeta> = {}): EntryMeta => ({ tenant: 't', input: 'test', codec, received: received.getTime(), ...extra });
const registry = new ParserRegistry();
const run = (line: string | Buffer, m: EntryMeta, reg = registry) =>
  processRecord(Buffer.isBuffer(line) ? line : Buffer.from(line), m, received, received.toISOString(), { registry: reg }) as any;

test('a syslog line no parser knows keeps its header fields and is marked unparsed', () => {
  const d = run('<38>Nov 23 11:59:00 bastion sshd[12]: something new', meta('syslog', { peer: '10.0.0.9:514' }));
  assert.equal(d['@timestamp'], '2026-11-23T11:59:00.000Z');
  assert.equal(d.host.name, 'bastion');
  assert.equal(d.process.name, 'sshd');
  assert.equal(d.message, 'something new');
  assert.equal(d.event.original, '<38>Nov 23 11:59:00 bastion sshd[12]: something new');
  assert.equal(d.event.ingested, '2026-11-23T12:00:00.000Z');
  assert.equal(d.event.kind, 'event');
  assert.equal(d.vigil.parse.status, 'unparsed');
  assert.equal(d.vigil.input, 'test');
  assert.equal(d.log.source.address, '10.0.0.9:514');
});

test('JSON records go through the generic pass-through; dotted keys become nested', () => {
  const d = run('{"@timestamp":"2026-11-22T10:00:00Z","user.name":"alice","event":{"outcome":"failure"}}', meta('json'));
  assert.equal(d.user.name, 'alice');
  assert.equal(d.event.outcome, 'failure');
  assert.equal(d['@timestamp'], '2026-11-22T10:00:00Z');
  assert.equal(d.vigil.parse.status, 'parsed');
  assert.equal(d.vigil.parse.parser, 'json');
});

test('invalid JSON on a JSON input is kept, flagged malformed; a bad time stamp falls back to receive time', () => {
  const bad = run('{"user.name": "x",', meta('json'));
  assert.equal(bad.vigil.parse.status, 'malformed');
  assert.equal(bad.vigil.parse.error, 'invalid JSON');
  assert.equal(bad.event.original, '{"user.name": "x",');
  const ts = run('{"@timestamp":"not a time","message":"m"}', meta('json'));
  assert.equal(ts['@timestamp'], received.toISOString());
  assert.equal(ts.vigil.parse.invalid_timestamp, 'not a time');
});

test('text lines: a syslog header is read when present, plain text otherwise', () => {
  const a = run('Nov 23 11:00:00 host1 sudo: alice : TTY=pts/0 ; COMMAND=/bin/ls', meta('text'));
  assert.equal(a.process.name, 'sudo');
  const b = run('just words', meta('text'));
  assert.equal(b.message, 'just words');
  assert.equal(b.vigil.parse.status, 'unparsed');
  assert.equal(b['@timestamp'], received.toISOString());
});

test('invalid UTF-8 is kept byte for byte as latin1 and flagged', () => {
  const bytes = Buffer.from([0x68, 0x69, 0xff, 0xfe, 0x20, 0x6f, 0x6b]);
  const d = run(bytes, meta('text'));
  assert.equal(d.vigil.parse.encoding, 'latin1');
  assert.deepEqual(Buffer.from(d.event.original, 'latin1'), bytes);
});

test('parsers: program dispatch, forced parser, and a throwing parser never loses the event', () => {
  const reg = new ParserRegistry([
    defineParser({ id: 'boom', title: 'b', requirements: [], description: 'throws', input: 'text', parse: () => { throw new Error('bug'); } }),
    defineParser({ id: 'sshd-test', title: 't', requirements: [], description: 't', input: 'text', programs: ['sshd'], parse: ({ message }) => (message.startsWith('Failed') ? { event: { outcome: 'failure' } } : null) }),
    defineParser({ id: 'json', title: 'j', requirements: [], description: 'j', input: 'json', parse: ({ json }) => json ?? null }),
  ]);
  const d = run('<38>Nov 23 11:59:00 h sshd[1]: Failed password', meta('syslog'), reg);
  assert.equal(d.vigil.parse.parser, 'sshd-test');
  assert.equal(d.event.outcome, 'failure');
  const forced = run('<38>Nov 23 11:59:00 h sshd[1]: Accepted', meta('syslog', { parser: 'sshd-test' }), reg);
  assert.equal(forced.vigil.parse.status, 'unparsed');
  assert.match(forced.vigil.parse.error, /parser "sshd-test" did not recognise/);
  const other = run('<38>Nov 23 11:59:00 h cron[1]: x', meta('syslog'), reg);
  assert.equal(other.vigil.parse.status, 'unparsed');
});

test('event ids are the entry offset and index, stable across replays', () => {
  const evs = processEntry({ offset: 4096, size: 0, entry: { meta: meta('text'), records: [Buffer.from('a'), Buffer.from('b')] } }, { registry });
  assert.deepEqual(evs.map((e) => e.id), [eventId(4096, 0), eventId(4096, 1)]);
  assert.equal(eventId(4096, 1), (4096n << 20n) | 1n);
});

test('partial results, event.dataset, related.* and container records', () => {
  const reg = new ParserRegistry([
    defineParser({
      id: 'half',
      title: 'h',
      requirements: ['B2.2'],
      description: 'claims lines starting with HALF and reads only part',
      input: 'text',
      parse: ({ message }) =>
        message.startsWith('HALF')
          ? { source: { ip: '10.0.0.1' }, user: { name: 'alice', target: { name: 'bob' } }, vigil: { parse: { status: 'partial', error: 'no port' } } }
          : null,
    }),
    defineParser({
      id: 'box',
      title: 'b',
      requirements: [],
      description: 'a container of records',
      input: 'json',
      split: { marker: '"Records"', records: (j) => (Array.isArray(j.Records) ? (j.Records as any[]) : null) },
      parse: ({ json }) => (json && typeof json.n === 'number' ? { event: { action: `n${json.n}` } } : null),
    }),
  ]);
  const d = run('HALF of a line', meta('text'), reg);
  assert.equal(d.vigil.parse.status, 'partial');
  assert.equal(d.vigil.parse.error, 'no port');
  assert.equal(d.event.dataset, 'half');
  assert.deepEqual(d.related, { ip: ['10.0.0.1'], user: ['alice', 'bob'] });

  const container = JSON.stringify({ Records: [{ n: 1 }, { n: 2 }, { n: 3 }] });
  const evs = processEntry({ offset: 64, size: 0, entry: { meta: meta('json'), records: [Buffer.from(container), Buffer.from('{"n":9}')] } }, { registry: reg });
  assert.deepEqual(evs.map((e) => (e.doc as any).event.action), ['n1', 'n2', 'n3', 'n9']);
  assert.deepEqual(evs.map((e) => (e.doc as any).event.original), ['{"n":1}', '{"n":2}', '{"n":3}', '{"n":9}']);
  assert.deepEqual(evs.map((e) => e.id), [0, 1, 2, 3].map((i) => eventId(64, i)));
});

test('an empty container stays one event', () => {
  const reg = new ParserRegistry([
    defineParser({ id: 'box', title: 'b', requirements: [], description: 'd', input: 'json', split: { marker: '"Records"', records: (j) => (Array.isArray(j.Records) ? (j.Records as any[]) : null) }, parse: () => null }),
    defineParser({ id: 'json', title: 'j', requirements: [], description: 'j', input: 'json', parse: ({ json }) => json ?? null }),
  ]);
  const evs = processEntry({ offset: 0, size: 0, entry: { meta: meta('json'), records: [Buffer.from('{"Records":[]}')] } }, { registry: reg });
  assert.equal(evs.length, 1);
  assert.equal((evs[0]!.doc as any).event.original, '{"Records":[]}');
});

test('an envelope: the message is parsed as the event, the envelope fills only what it lacks', () => {
  const env = {
    '@timestamp': '2026-11-23T08:00:00.123Z',
    message: 'Nov 23 08:00:00 bastion1 sshd[77]: Failed password for envuser from 198.51.100.23 port 4022 ssh2',
    labels: { job: 'varlogs' },
    host: { name: 'shipper-host', id: 'h-1' },
    vigil: { requirements: ['E6'] },
  };
  const d = run(JSON.stringify(env), meta('json', { envelope: true }));
  assert.equal(d.vigil.parse.parser, 'sshd');
  assert.equal(d.user.name, 'envuser');
  assert.equal(d.host.name, 'bastion1', 'the syslog header names the host, not the shipper');
  assert.equal(d.host.id, 'h-1', 'the envelope fills what the line lacks');
  assert.equal(d.labels.job, 'varlogs');
  assert.equal(d.event.original, env.message, 'event.original is the line as its source wrote it');
  assert.ok(!d.vigil.requirements.includes('E6'), 'a sender cannot set Vigil fields');
});

test('an envelope whose line no parser knows keeps the envelope time and fields, unparsed', () => {
  const d = run(JSON.stringify({ '@timestamp': '2026-11-20T01:02:03.000Z', message: 'something free-form', 'service.name': 'app' }), meta('json', { envelope: true }));
  assert.equal(d.vigil.parse.status, 'unparsed');
  assert.equal(d['@timestamp'], '2026-11-20T01:02:03.000Z');
  assert.equal(d.service.name, 'app');
  assert.equal(d.message, 'something free-form');
});

test('JSON only the generic parser takes is re-read through its message when a line parser knows it', () => {
  const filebeat = { '@timestamp': '2026-11-23T08:00:01.000Z', message: 'Nov 23 08:00:01 db1 sshd[9]: Accepted publickey for fbuser from 192.0.2.10 port 5000 ssh2: ED25519 SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', log: { file: { path: '/var/log/auth.log' } }, agent: { type: 'filebeat' } };
  const d = run(JSON.stringify(filebeat), meta('json'));
  assert.equal(d.vigil.parse.parser, 'sshd');
  assert.equal(d.user.name, 'fbuser');
  assert.equal(d.log.file.path, '/var/log/auth.log');
  assert.equal(d.agent.type, 'filebeat');
  assert.equal(d.event.original, JSON.stringify(filebeat), 'not an envelope: the document as sent stays the original');
  const plain = run(JSON.stringify({ message: 'no parser knows this', 'user.name': 'x' }), meta('json'));
  assert.equal(plain.vigil.parse.parser, 'json');
  assert.equal(plain.user.name, 'x');
});

test('an envelope whose line has no syslog header lends the line its program (process.name, else service.name)', () => {
  const line = 'Failed password for alice from 198.51.100.7 port 4022 ssh2';
  const otel = run(JSON.stringify({ message: line, service: { name: 'sshd' }, host: { name: 'bastion2' } }), meta('json', { envelope: true }));
  assert.equal(otel.vigil.parse.parser, 'sshd');
  assert.equal(otel.user.name, 'alice');
  assert.equal(otel.host.name, 'bastion2');
  const fluent = run(JSON.stringify({ message: line, 'process.name': 'sshd' }), meta('json', { envelope: true }));
  assert.equal(fluent.vigil.parse.parser, 'sshd');
  const none = run(JSON.stringify({ message: line }), meta('json', { envelope: true }));
  assert.equal(none.vigil.parse.status, 'unparsed', 'without a program the bare line is nobody\'s');
});

test('a sender cannot pass its own vigil fields for Vigil\'s: they are kept as vigil.upstream', () => {
  const forwarded = { '@timestamp': '2026-11-23T08:00:00.000Z', message: 'x', 'user.name': 'bob', vigil: { requirements: ['B1.4'], tenant: 'acme', parse: { status: 'parsed' } } };
  const d = run(JSON.stringify(forwarded), meta('json'));
  assert.deepEqual(d.vigil.upstream, forwarded.vigil);
  assert.equal(d.vigil.requirements, undefined);
  assert.equal(d.vigil.parse.parser, 'json');
  const own = run(JSON.stringify({ message: 'alert', vigil: { source: { name: 'ns1' } } }), meta('json', { input: 'monitor' }));
  assert.equal(own.vigil.source.name, 'ns1', 'Vigil\'s own events keep theirs');
});
