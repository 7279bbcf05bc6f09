import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParserState } from '../state.js';
import type { SyslogMessage } from '../../decode/syslog.js';
import slapd from './index.js';

function line(state: ParserState, host: string, message: string): any {
  const syslog: SyslogMessage = { format: 'rfc3164', timestampHadYear: false, timestampHadZone: false, hostname: host, appName: 'slapd', message };
  return slapd.parse({ message, line: message, syslog, program: 'slapd', tenant: 't', state });
}

test('two servers with the same connection numbers are joined separately', () => {
  const state = new ParserState();
  line(state, 'ldap1', 'conn=7 fd=9 ACCEPT from IP=10.0.0.1:4000 (IP=0.0.0.0:389)');
  line(state, 'ldap2', 'conn=7 fd=9 ACCEPT from IP=10.0.0.2:4000 (IP=0.0.0.0:389)');
  line(state, 'ldap1', 'conn=7 op=0 BIND dn="uid=a,ou=people,dc=x" method=128');
  line(state, 'ldap2', 'conn=7 op=0 BIND dn="uid=b,ou=people,dc=x" method=128');
  const r1 = line(state, 'ldap1', 'conn=7 op=0 RESULT tag=97 err=49 text=');
  const r2 = line(state, 'ldap2', 'conn=7 op=0 RESULT tag=97 err=0 text=');
  assert.equal(r1.user.name, 'a');
  assert.equal(r1.source.ip, '10.0.0.1');
  assert.deepEqual(r1.vigil.requirements, ['B1.4']);
  assert.equal(r2.user.name, 'b');
  assert.equal(r2.source.ip, '10.0.0.2');
  assert.equal(r2.event.outcome, 'success');
});

test('a RESULT whose request was not seen is still an event, without a guess', () => {
  const r = line(new ParserState(), 'ldap1', 'conn=9 op=3 RESULT tag=97 err=49 text=');
  assert.equal(r.event.action, 'bind-result');
  assert.equal(r.event.outcome, 'failure');
  assert.equal(r.user, undefined);
  assert.equal(r.vigil, undefined);
});

test('the state does not keep closed connections', () => {
  const state = new ParserState();
  line(state, 'h', 'conn=1 fd=5 ACCEPT from IP=10.0.0.1:1 (IP=0.0.0.0:389)');
  line(state, 'h', 'conn=1 fd=5 closed');
  assert.equal(state.size, 0);
});
