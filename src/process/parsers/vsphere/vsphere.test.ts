import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readReconfig } from './reconfig.js';
import { actionOf, matchEvent } from './events.js';

test('reconfiguration entries are sorted into CPU, memory, network and storage', () => {
  const r = readReconfig(' \\n Modified: \\n config.hardware.numCPU: 1 -> 2; \\n config.hardware.device(4000).backing.deviceName: "A" -> "B"; \\n Added: \\n Deleted: \\n config.hardware.device(16001): (key = 16001, deviceInfo = (label = "Hard disk 3")); ')!;
  assert.deepEqual([r.cpu, r.memory, r.network, r.storage], [true, false, true, true]);
  assert.deepEqual(r.doc.cpu, { from: 1, to: 2 });
  assert.equal((r.doc.deleted as string[]).length, 1);
});

test('a description without sections is not a change list', () => {
  assert.equal(readReconfig(' nothing to see'), null);
});

test('event types become kebab-case actions; descriptions alone find the type', () => {
  assert.equal(actionOf('VmPoweredOnEvent'), 'vm-powered-on');
  assert.equal(actionOf('com.vmware.sso.LoginFailure'), 'login-failure');
  assert.equal(matchEvent(undefined, 'Removed x on h1 from dc')?.spec.type, 'VmRemovedEvent');
  assert.equal(matchEvent(undefined, 'something else'), null);
  // A known type whose text differs is still classified by its type.
  assert.equal(matchEvent('VmPoweredOffEvent', 'unexpected text')?.spec.type, 'VmPoweredOffEvent');
});
