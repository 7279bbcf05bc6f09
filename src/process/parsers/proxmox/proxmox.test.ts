import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configChanges } from './tasks.js';
import { pveUser, readUpid } from './upid.js';

test('a UPID decodes to node, pid, start time, type, id and user', () => {
  const r = readUpid('UPID:pve-2:0001D301:15925672:69E05EBF:qmigrate:802:admin01@pve: OK')!;
  assert.equal(r.upid.node, 'pve-2');
  assert.equal(r.upid.pid, 0x1d301);
  assert.equal(r.upid.starttime, new Date(0x69e05ebf * 1000).toISOString());
  assert.equal(r.upid.type, 'qmigrate');
  assert.equal(r.upid.id, '802');
  assert.equal(r.upid.user, 'admin01@pve');
  assert.equal(r.rest, ' OK');
  assert.equal(readUpid('UPID:broken'), null);
});

test('users and API tokens', () => {
  assert.deepEqual(pveUser('root@pam'), { name: 'root', domain: 'pam', id: 'root@pam' });
  assert.deepEqual(pveUser('ci@pve!deploy'), { name: 'ci', domain: 'pve', id: 'ci@pve!deploy' });
});

test('configuration options map to B5.4 items', () => {
  assert.deepEqual(configChanges('-vcpus 2 -balloon 1024').requirements, ['B5.4.1', 'B5.4.2']);
  assert.deepEqual(configChanges('-delete net3,virtio1').requirements, ['B5.4.3', 'B5.4.4']);
  assert.deepEqual(configChanges('-name web -tags prod').requirements, []);
});
