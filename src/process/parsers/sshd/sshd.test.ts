import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { unwrap, setSource } from './linux-auth.js';
import { readPam, pamEvent, isLockoutModule } from './pam.js';
import { readSshd } from './sshd.js';
import type { EcsDoc } from '../../../core/event.js';

test('unwrap strips Solaris tags, syslogd repeats and [preauth]', () => {
  assert.deepEqual(unwrap('[ID 800047 auth.notice] Failed none for root from 192.0.2.1 port 22 ssh2'), {
    text: 'Failed none for root from 192.0.2.1 port 22 ssh2',
    preauth: false,
  });
  assert.deepEqual(unwrap('message repeated 3 times: [ Failed password for root from 192.0.2.1 port 22 ssh2]'), {
    text: 'Failed password for root from 192.0.2.1 port 22 ssh2',
    preauth: false,
    repeated: 3,
  });
  assert.deepEqual(unwrap('Connection closed by 192.0.2.1 port 22 [preauth]'), { text: 'Connection closed by 192.0.2.1 port 22', preauth: true });
});

test('sources: IPs, IPv4-mapped IPv6, host names and placeholders', () => {
  const d: EcsDoc = {};
  setSource(d, '::ffff:192.0.2.7', '22');
  assert.deepEqual(d.source, { ip: '192.0.2.7', port: 22 });
  setSource(d, 'jump.example.net');
  assert.deepEqual(d.source, { domain: 'jump.example.net', address: 'jump.example.net' });
  const e: EcsDoc = {};
  setSource(e, 'UNKNOWN', '65535');
  assert.equal(e.source, undefined);
});

test('public key, certificate and legacy MD5 fingerprints go to named fields', () => {
  const cert = readSshd(
    'Accepted publickey for bob from 192.0.2.11 port 50610 ssh2: ED25519-CERT SHA256:abc ID bob@corp (serial 9) CA RSA SHA256:def',
    false,
  ) as any;
  assert.deepEqual(cert.system.auth.ssh.key, { type: 'ED25519-CERT', fingerprint: 'SHA256:abc' });
  assert.deepEqual(cert.system.auth.ssh.cert, { id: 'bob@corp', serial: 9, ca: { type: 'RSA', fingerprint: 'SHA256:def' } });
  const md5 = readSshd('Accepted publickey for vagrant from 10.0.2.2 port 63673 ssh2: RSA 39:33:99:e9:a0:dc:f2:33:a3:e5:72:3b:7c:3a:56:84', false) as any;
  assert.equal(md5.system.auth.ssh.key.fingerprint, '39:33:99:e9:a0:dc:f2:33:a3:e5:72:3b:7c:3a:56:84');
  assert.equal(md5.system.auth.ssh.signature, 'RSA 39:33:99:e9:a0:dc:f2:33:a3:e5:72:3b:7c:3a:56:84');
});

test('login attempts: outcome and requirement tags', () => {
  const ok = readSshd('Accepted password for alice from 192.0.2.10 port 1 ssh2', false) as any;
  assert.equal(ok.event.outcome, 'success');
  assert.deepEqual(ok.vigil.requirements, ['B2.2']);
  const bad = readSshd('Failed password for invalid user  from 203.0.113.9 port 2 ssh2', false) as any;
  assert.equal(bad.event.outcome, 'failure');
  assert.equal(bad.user, undefined, 'an empty user name is not a user');
  assert.deepEqual(bad.vigil.requirements, ['B2.2', 'B1.4']);
  const postponed = readSshd('Postponed keyboard-interactive for erin from 192.0.2.13 port 3 ssh2', true) as any;
  assert.equal(postponed.event.outcome, undefined, 'no verdict yet');
});

test('received disconnect in both formats, IPv6 without a port included', () => {
  const old = readSshd('Received disconnect from 2001:db8::1: 11: disconnected by user', false) as any;
  assert.equal(old.source.ip, '2001:db8::1');
  assert.deepEqual(old.vigil.principles, ['P1c']);
  const nu = readSshd('Received disconnect from 203.0.113.4 port 5022:11: Bye Bye', true) as any;
  assert.deepEqual(nu.source, { ip: '203.0.113.4', port: 5022 });
  assert.equal(nu.vigil, undefined, 'a pre-authentication disconnect is not a logout');
});

test('unknown sshd lines are not claimed', () => {
  assert.equal(readSshd('debug1: channel 3: connection failed: Connection refused', false), null);
  assert.equal(readSshd('error: kex_exchange_identification: banner line contains invalid characters', false), null);
});

test('PAM lines: module form, old tag form, libpam summaries', () => {
  assert.deepEqual(readPam('pam_unix(sshd:session): session closed for user alice'), {
    module: 'pam_unix',
    service: 'sshd',
    facility: 'session',
    text: 'session closed for user alice',
  });
  assert.deepEqual(readPam('check pass; user unknown', 'su(pam_unix)'), { module: 'pam_unix', service: 'su', text: 'check pass; user unknown' });
  assert.equal(readPam('PAM 3 more authentication failures; logname= uid=0')?.module, 'pam');
  assert.equal(readPam('Accepted password for x from 192.0.2.1 port 1 ssh2'), null);
  assert.ok(isLockoutModule(readPam('pam_tally2(sshd:auth): user a (1) tally 4, deny 3')!));
});

test('PAM sessions: who opened it and as whom', () => {
  const sudo = pamEvent(readPam('pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)')!);
  assert.deepEqual(sudo.doc.user, { name: 'alice', id: '1000', effective: { name: 'root', id: '0' } });
  const login = pamEvent(readPam('pam_unix(login:session): session opened for user bob(uid=1002) by LOGIN(uid=0)')!);
  assert.deepEqual(login.doc.user, { name: 'bob', id: '1002' }, 'LOGIN is a placeholder, not a user');
  const sshd = pamEvent(readPam('pam_unix(sshd:session): session opened for user carol by (uid=0)')!);
  assert.deepEqual(sshd.doc.user, { name: 'carol' });
  assert.equal(sshd.kind, 'session-open');
});

test('PAM authentication failures read the key=value tail, remote host included', () => {
  const r = pamEvent(readPam('pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=host.example.net  user=root')!);
  assert.equal(r.kind, 'auth-failure');
  assert.deepEqual(r.doc.user, { name: 'root' });
  assert.deepEqual(r.doc.source, { domain: 'host.example.net', address: 'host.example.net' });
  assert.equal((r.doc.event as EcsDoc).outcome, 'failure');
});

test('never throws, whatever the text (sshd messages and PAM lines built from their own pieces)', () => {
  const piece = fc.constantFrom(
    'Accepted ', 'Failed ', 'password ', 'publickey ', 'for ', 'invalid user ', 'from ', 'port ', '22', ' ssh2', ': ', 'RSA ',
    'SHA256:x', ' ID ', '(serial 1)', ' CA ', 'Connection closed by ', 'authenticating user ', 'Received disconnect from ',
    '::1', '192.0.2.1', ' [preauth]', 'message repeated 2 times: [ ', ']', 'pam_unix(sshd:session): ', 'session opened for user ',
    '(uid=0)', ' by ', 'authentication failure; ', 'rhost=', 'user=', 'PAM ', '3 more authentication failures; ', 'error: ', ' ',
  );
  fc.assert(
    fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 4 })), { maxLength: 24 }), (parts) => {
      const text = parts.join('');
      const u = unwrap(text);
      readSshd(u.text, u.preauth);
      const p = readPam(u.text, 'sshd(pam_unix)');
      if (p) pamEvent(p);
    }),
    { numRuns: 3000 },
  );
});
