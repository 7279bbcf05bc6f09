import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseMac, parseKv, evidence, isoTime } from './ecs.js';

test('MAC addresses in every common notation become the ECS form', () => {
  for (const m of ['aa:bb:cc:dd:ee:0f', 'AA-BB-CC-DD-EE-0F', 'aabb.ccdd.ee0f', 'aabbccddee0f']) assert.equal(normaliseMac(m), 'AA-BB-CC-DD-EE-0F');
  assert.equal(normaliseMac('zz:bb:cc:dd:ee:ff'), null);
  assert.equal(normaliseMac('aa:bb:cc'), null);
});

test('key=value text with quotes', () => {
  assert.deepEqual(parseKv('type=USER_LOGIN msg="a \\"q\\" b" res=success lone'), { type: 'USER_LOGIN', msg: 'a "q" b', res: 'success' });
  assert.deepEqual(parseKv('a=1;b=two', ';'), { a: '1', b: 'two' });
});

test('evidence tags known IDs and refuses typos', () => {
  assert.deepEqual(evidence({}, ['B3'], ['P4a']), { vigil: { requirements: ['B3'], principles: ['P4a'] } });
  assert.throws(() => evidence({}, ['B3.1'], []), /unknown requirement id B3\.1/);
  assert.equal(isoTime('2026-11-23T10:00:00+01:00'), '2026-11-23T09:00:00.000Z');
  assert.equal(isoTime('nope'), undefined);
});
