import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTransform, REDACTED } from './transform.js';
import { compileRoute } from './route.js';

const spec = (o: Partial<Parameters<typeof compileTransform>[0]>) => ({ drop: [], rename: {}, redact: [], redact_patterns: [], ...o });

test('no transform is no copy', () => {
  assert.equal(compileTransform(spec({})), null);
});

test('a redacted value never leaves: not in its field, not in event.original, message or any other string', () => {
  const t = compileTransform(spec({ redact: ['user.name', 'source.ip'] }))!;
  const doc = {
    user: { name: 'alice.smith' },
    source: { ip: '198.51.100.7' },
    related: { user: ['alice.smith'], ip: ['198.51.100.7'] },
    message: 'Failed password for alice.smith from 198.51.100.7 port 22 ssh2',
    event: { original: '<38>Nov 23 bastion sshd[1]: Failed password for alice.smith from 198.51.100.7 port 22 ssh2' },
  };
  const out = t(doc);
  const text = JSON.stringify(out);
  assert.ok(!text.includes('alice.smith'), text);
  assert.ok(!text.includes('198.51.100.7'), text);
  assert.equal((out.user as any).name, REDACTED);
  assert.deepEqual((out.related as any).user, [REDACTED]);
  assert.equal(out.message, `Failed password for ${REDACTED} from ${REDACTED} port 22 ssh2`);
  assert.equal(doc.user.name, 'alice.smith', 'the stored event is untouched');
});

test('patterns scrub every string; drop and rename apply after redaction', () => {
  const t = compileTransform(spec({ redact_patterns: ['\\b\\d{4}-\\d{4}-\\d{4}-\\d{4}\\b'], drop: ['event.original'], rename: { 'host.name': 'hostname' } }))!;
  const out = t({ message: 'card 1234-5678-9012-3456 used', host: { name: 'web1' }, event: { original: 'x', kind: 'event' } }) as any;
  assert.equal(out.message, `card ${REDACTED} used`);
  assert.equal(out.event.original, undefined);
  assert.equal(out.event.kind, 'event');
  assert.equal(out.hostname, 'web1');
  assert.equal(out.host.name, undefined);
});

test('a bad pattern is an error at compile time', () => {
  assert.throws(() => compileTransform(spec({ redact_patterns: ['(unclosed'] })), /Invalid regular expression/);
});

test('routes: tenants, the platform only when named, and a query filter', () => {
  const all = compileRoute(undefined, undefined);
  assert.equal(all('acme', {}), true);
  assert.equal(all('_platform', {}), false);
  assert.equal(compileRoute(['_platform'], undefined)('_platform', {}), true);
  const auth = compileRoute(['acme'], 'event.category:authentication and not user.name:svc-*');
  assert.equal(auth('acme', { event: { category: ['authentication'] }, user: { name: 'bob' } }), true);
  assert.equal(auth('acme', { event: { category: ['authentication'] }, user: { name: 'svc-backup' } }), false);
  assert.equal(auth('globex', { event: { category: ['authentication'] }, user: { name: 'bob' } }), false);
  assert.throws(() => compileRoute(undefined, 'a:b | stats count()'), /pipes/);
  assert.throws(() => compileRoute(undefined, 'a:(b'), /expected|position/i);
});
