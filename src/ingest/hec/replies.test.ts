import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HEC_REPLIES, HecError, hecBody } from './replies.js';

// Splunk's table of HEC status codes ("Troubleshoot HTTP Event Collector"): code, HTTP status, text.
const SPLUNK: [number, number, string][] = [
  [0, 200, 'Success'],
  [1, 403, 'Token disabled'],
  [2, 401, 'Token is required'],
  [3, 401, 'Invalid authorization'],
  [4, 403, 'Invalid token'],
  [5, 400, 'No data'],
  [6, 400, 'Invalid data format'],
  [7, 400, 'Incorrect index'],
  [8, 500, 'Internal server error'],
  [9, 503, 'Server is busy'],
  [10, 400, 'Data channel is missing'],
  [11, 400, 'Invalid data channel'],
  [12, 400, 'Event field is required'],
  [13, 400, 'Event field cannot be blank'],
  [14, 400, 'ACK is disabled'],
  [15, 400, 'Error in handling indexed fields'],
  [16, 400, 'Query string authorization is not enabled'],
  [17, 200, 'HEC is healthy'],
  [18, 503, 'HEC is unhealthy, queues are full'],
];

test("the catalogue matches Splunk's table for every HEC code it uses", () => {
  const byCode = new Map<number, { status: number; text: string }>(Object.values(HEC_REPLIES).map((r) => [r.code, r]));
  for (const [code, status, text] of SPLUNK) {
    assert.deepEqual(byCode.get(code), { status, code, text }, `code ${code}`);
  }
  const hecCodes = Object.values(HEC_REPLIES).filter((r) => r.code < 100);
  assert.equal(hecCodes.length, SPLUNK.length, 'no HEC code in the catalogue that Splunk does not define');
});

test('bodies have Splunk key order: text, code, then invalid-event-number or ackId', () => {
  assert.equal(JSON.stringify(hecBody('success')), '{"text":"Success","code":0}');
  assert.equal(JSON.stringify(hecBody('success', 3)), '{"text":"Success","code":0,"ackId":3}');
  const e = new HecError('event_required', { invalidEvent: 2 });
  assert.equal(JSON.stringify(e.body()), '{"text":"Event field is required","code":12,"invalid-event-number":2}');
  assert.equal(e.status, 400);
});
