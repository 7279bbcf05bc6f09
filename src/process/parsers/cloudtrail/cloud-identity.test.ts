// Detection and robustness of the cloud / identity-provider JSON parsers (cloudtrail, entra-id, okta,
// auth0, github-audit, google-workspace): each leaves the others' records and unrelated JSON alone, the
// container splitters expand only their own containers, and odd shapes never throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EcsDoc } from '../../../core/event.js';
import type { ParserDef } from '../define.js';
import { ParserState } from '../state.js';
import auth0 from '../auth0/index.js';
import entra from '../entra-id/index.js';
import github from '../github-audit/index.js';
import google from '../google-workspace/index.js';
import okta from '../okta/index.js';
import cloudtrail from './index.js';

const PARSERS: ParserDef[] = [cloudtrail, entra, okta, auth0, github, google];

function parse(p: ParserDef, json: EcsDoc): EcsDoc | null {
  return p.parse({ message: JSON.stringify(json), line: JSON.stringify(json), json, tenant: 't', state: new ParserState() });
}

const OTHERS: Record<string, EcsDoc> = {
  ecs: { '@timestamp': '2026-10-06T08:00:00Z', message: 'hello', event: { action: 'x' }, user: { name: 'a' } },
  intune: {
    category: 'AuditLogs',
    operationName: 'Create MobileApp',
    identity: 'admin@example.com',
    properties: { ActivityDate: '4/11/2025 6:21:02 PM', Actor: { UPN: 'admin@example.com' }, TargetDisplayNames: ['app.exe'] },
  },
  kubernetes: { kind: 'Event', apiVersion: 'audit.k8s.io/v1', verb: 'get', user: { username: 'alice' }, stage: 'ResponseComplete' },
  azureActivity: { time: '2026-10-06T08:00:00Z', resourceId: '/SUBSCRIPTIONS/1/RESOURCEGROUPS/RG', operationName: 'MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE', category: 'Administrative', properties: {} },
  webhook: { action: 'completed', workflow_run: { id: 1 }, repository: { full_name: 'o/r' } },
  typed: { type: 'login', log_id: 42, date: 'yesterday' },
};

test('each parser takes no other source and no unrelated JSON', () => {
  for (const [name, json] of Object.entries(OTHERS)) {
    for (const p of PARSERS) assert.equal(parse(p, json), null, `${p.id} took the ${name} record`);
  }
});

test('container splitters expand only their own containers', () => {
  assert.equal(cloudtrail.split!.records({ Records: [] }), null, 'an empty CloudTrail file stays one record');
  assert.equal(cloudtrail.split!.records({ Records: [{ n: 1 }] }), null, 'Records that are not CloudTrail');
  assert.equal(entra.split!.records({ records: [{ category: 'Administrative', operationName: 'x', properties: {} }] }), null);
  const one = { kind: 'admin#reports#activity', id: { applicationName: 'login' }, events: [{ name: 'logout' }] };
  assert.equal(google.split!.records(one), null, 'an activity with one event is not split');
  const two = { ...one, events: [{ name: 'login_success' }, { name: 'logout' }] };
  const parts = google.split!.records(two)!;
  assert.deepEqual(
    parts.map((p) => (p.events as EcsDoc[])[0]!.name),
    ['login_success', 'logout'],
  );
  assert.deepEqual(parts[1]!.id, one.id, 'each event keeps the activity id');
});

test('CloudTrail records with lower-cased keys are read', () => {
  const d = parse(cloudtrail, { eventname: 'CreateUser', eventsource: 'iam.amazonaws.com', eventtime: '2026-10-06T08:00:00Z', requestparameters: { userName: 'bob' } })!;
  assert.equal((d.event as EcsDoc).action, 'CreateUser');
  assert.equal((d.user as EcsDoc & { target: EcsDoc }).target.name, 'bob');
});

test('odd shapes never throw', () => {
  const odd: [ParserDef, EcsDoc][] = [
    [cloudtrail, { eventVersion: '1.08', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', userIdentity: 'x', requestParameters: [1, 2], responseElements: { instancesSet: { items: 'x' } } }],
    [cloudtrail, { eventVersion: '1.08', eventSource: 'iam.amazonaws.com', eventName: 'ModifyInstanceAttribute', requestParameters: null, resources: 'x' }],
    [entra, { category: 'SignInLogs', operationName: 'Sign-in activity', properties: { authenticationDetails: 'x', status: 5, mfaDetail: [] }, resultType: {} }],
    [entra, { category: 'AuditLogs', operationName: 'Add user', properties: { initiatedBy: 'x', targetResources: [null, 1, { type: 'User', modifiedProperties: 'x' }] } }],
    [okta, { eventType: 'user.session.start', actor: {}, uuid: 1, target: 'x', client: { userAgent: 5 }, outcome: 'x' }],
    [auth0, { log_id: 'x', data: { type: 's', details: null, ip: 'not-an-ip', date: 12 } }],
    [github, { action: 'org.add_member', actor: 'a', user: 5, data: 'x', '@timestamp': 'soon' }],
    [google, { kind: 'admin#reports#activity', id: { applicationName: 'login' }, events: 'x', actor: 'y' }],
    [google, { kind: 'admin#reports#activity', id: { applicationName: 'admin' }, events: [{ name: 'CREATE_USER', parameters: [null, { name: 5 }, 'x'] }] }],
  ];
  for (const [p, json] of odd) assert.doesNotThrow(() => parse(p, json), `${p.id}: ${JSON.stringify(json)}`);
});
