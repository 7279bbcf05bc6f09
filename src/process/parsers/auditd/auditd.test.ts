import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeHex, readRecord, tokens } from './record.js';
import { toEcs } from './auditd.js';
import { ParserState } from '../state.js';
import { syscallName } from './syscalls.js';

test('tokens: quoted, unquoted, and values with blanks before the next key', () => {
  assert.deepEqual(
    tokens(`op=adding user acct="bob smith" exe=/usr/sbin/useradd msg='a=1 b=2'`).map((t) => [t.key, t.value, t.quote]),
    [
      ['op', 'adding user', ''],
      ['acct', 'bob smith', '"'],
      ['exe', '/usr/sbin/useradd', ''],
      ['msg', 'a=1 b=2', "'"],
    ],
  );
});

test('hex values: proctitle arguments, multiple rule keys', () => {
  assert.equal(decodeHex('2F62696E2F7368002D63006C73'), '/bin/sh -c ls');
  assert.equal(decodeHex('73736801666F6F'), 'ssh,foo');
  const r = readRecord('type=SYSCALL msg=audit(1.5:7): comm=2F746D702F6120622063 key=73736801666F6F name="414243"')!;
  assert.equal(r.fields.comm, '/tmp/a b c');
  assert.equal(r.fields.key, 'ssh,foo');
  assert.equal(r.fields.name, '414243', 'quoted values are never hex');
});

test('record heads: node prefix, numeric kernel type, ENRICHED names, old LOGIN form', () => {
  const a = readRecord('node=hv1 type=USER_LOGIN msg=audit(1700000000.250:42): pid=1 uid=0 msg=\'op=login res=success\'\u001dUID="root" AUID="alice"')!;
  assert.equal(a.node, 'hv1');
  assert.equal(a.epoch, 1700000000.25);
  assert.equal(a.serial, 42);
  assert.deepEqual(a.names, { UID: 'root', AUID: 'alice' });
  assert.equal(a.fields.res, 'success');
  const k = readRecord('audit: type=1300 audit(1700000000.000:43): arch=c000003e syscall=59 success=yes')!;
  assert.equal(k.type, 'SYSCALL');
  assert.equal(syscallName(k.fields.syscall, k.fields.arch), 'execve');
  const old = readRecord('type=LOGIN msg=audit(1700000000.000:44): login pid=1 uid=0 old auid=4294967295 new auid=1000 old ses=4294967295 new ses=3')!;
  assert.equal(old.fields.auid, '1000');
  assert.equal(old.fields['old-auid'], '4294967295');
  assert.equal(readRecord('Nov 23 sshd[1]: type=whatever'), null);
});

test('a PATH record takes its syscall, rule key and working directory from the records before it', () => {
  const state = new ParserState();
  const recs = [
    'type=SYSCALL msg=audit(1700000000.100:9): arch=c000003e syscall=263 success=yes exit=0 items=2 ppid=1 pid=2 auid=1000 uid=1000 euid=1000 comm="rm" exe="/usr/bin/rm" key="sshkeys"',
    'type=CWD msg=audit(1700000000.100:9): cwd="/home/alice/.ssh"',
    'type=PATH msg=audit(1700000000.100:9): item=1 name="authorized_keys" inode=5 nametype=DELETE',
  ].map((l) => toEcs(readRecord(l)!, state, 'h') as any);
  const path = recs[2];
  assert.equal(path.file.path, '/home/alice/.ssh/authorized_keys');
  assert.equal(path.event.action, 'deleted');
  assert.deepEqual(path.event.type, ['deletion']);
  assert.deepEqual(path.vigil.requirements, ['B2.1']);
  assert.equal(path.process.name, 'rm');
  assert.equal(path.user.id, '1000');
  // Another host's record with the same serial is a different event.
  const other = toEcs(readRecord('type=PATH msg=audit(1700000000.100:9): item=0 name="notes.txt" nametype=NORMAL')!, state, 'other') as any;
  assert.equal(other.file.path, 'notes.txt');
  assert.equal(other.vigil, undefined);
});

test('account management: actor from auid, account as user.target, group membership as B1.7', () => {
  const state = new ParserState();
  const mgmt = toEcs(
    readRecord(`type=ADD_USER msg=audit(1700000000.000:50): pid=9 uid=0 auid=1000 ses=2 msg='op=adding user to group grp="wheel" acct="bob" exe="/usr/sbin/useradd" hostname=? addr=? terminal=pts/0 res=success'`)!,
    state,
    'h',
  ) as any;
  assert.equal(mgmt.user.id, '1000');
  assert.equal(mgmt.user.target.name, 'bob');
  assert.equal(mgmt.group.name, 'wheel');
  assert.deepEqual(mgmt.vigil.requirements, ['B1.7']);
  const unlock = toEcs(readRecord(`type=USER_CHAUTHTOK msg=audit(1700000000.000:51): pid=9 uid=0 auid=1000 msg='op=unlock-password acct="bob" res=success'`)!, state, 'h') as any;
  assert.deepEqual(unlock.vigil.requirements, ['B1.3']);
});

test('libvirt VM records: identifiers in libvirt.vm, power and resource requirements', () => {
  const state = new ParserState();
  const stop = toEcs(readRecord(`type=VIRT_CONTROL msg=audit(1700000000.000:60): pid=1 uid=0 auid=4294967295 msg='virt=kvm op=stop reason=shutdown vm="db1" uuid=11111111-2222-3333-4444-555555555555 vm-pid=7 res=success'`)!, state, 'h') as any;
  assert.deepEqual(stop.libvirt, { vm: { name: 'db1', uuid: '11111111-2222-3333-4444-555555555555', pid: 7 }, virt: 'kvm' });
  assert.equal(stop.auditd.log.vm, undefined);
  assert.deepEqual(stop.event.type, ['end']);
  assert.deepEqual(stop.vigil.requirements, ['B5.2']);
  const mem = toEcs(readRecord(`type=VIRT_RESOURCE msg=audit(1700000000.000:61): pid=1 uid=0 msg='virt=kvm resrc=mem reason=update vm="db1" uuid=11111111-2222-3333-4444-555555555555 old-mem=1048576 new-mem=2097152 res=success'`)!, state, 'h') as any;
  assert.deepEqual(mem.vigil.requirements, ['B5.4.2']);
  assert.equal(mem.auditd.log.new_mem, '2097152');
  const id = toEcs(readRecord(`type=VIRT_MACHINE_ID msg=audit(1700000000.000:62): pid=1 uid=0 msg='virt=kvm vm="db1" uuid=11111111-2222-3333-4444-555555555555 vm-ctx=a img-ctx=b model=selinux res=success'`)!, state, 'h') as any;
  assert.equal(id.vigil, undefined, 'a security label at start is not a VM creation');
});

test('never throws, whatever follows a record head', () => {
  const piece = fc.constantFrom(
    'pid=1 ', 'uid=0 ', 'auid=4294967295 ', "msg='", "'", '"', 'acct=', 'name=', 'proctitle=', '2F62', 'ABC', 'key=', 'op=',
    'res=failed ', 'syscall=257 ', 'arch=c000003e ', 'vm=', 'uuid=1 ', 'resrc=mem ', 'op=start ', '\u001d', '#035', 'UID="x"', ' ', '=',
  );
  const head = fc.constantFrom('type=SYSCALL', 'type=PATH', 'type=USER_LOGIN', 'type=ADD_USER', 'type=VIRT_CONTROL', 'type=VIRT_RESOURCE', 'type=EXECVE', 'type=CWD');
  const state = new ParserState();
  fc.assert(
    fc.property(head, fc.array(fc.oneof(piece, fc.string({ maxLength: 3 })), { maxLength: 30 }), (h, parts) => {
      const r = readRecord(`${h} msg=audit(1700000000.000:1): ${parts.join('')}`);
      assert.ok(r);
      toEcs(r, state, 'h');
    }),
    { numRuns: 3000 },
  );
});
