// The OCSF mapping against events Vigil's own parsers produce: the golden outputs in
// src/process/parsers/<parser>/fixtures/*.ecs.json, not hand-made documents. One event (or a few) per
// class, checking the class, the activity, the status and the attributes that carry the event; then
// properties over every golden event (type_uid, metadata, nothing lost).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EcsDoc, EcsValue } from '../../core/event.js';
import { CLASSES, OCSF_VERSION, toOcsf } from './ocsf.js';

const PARSERS = fileURLToPath(new URL('../../process/parsers/', import.meta.url));

/** The golden events of one fixture file. */
function golden(parser: string, fixture: string): EcsDoc[] {
  return JSON.parse(readFileSync(join(PARSERS, parser, 'fixtures', `${fixture}.ecs.json`), 'utf8')) as EcsDoc[];
}

/** The first golden event of the fixture whose event.action is `action` (and that `also` accepts). */
function event(parser: string, fixture: string, action: string, also: (d: any) => boolean = () => true): any {
  const d = golden(parser, fixture).find((e: any) => e.event?.action === action && also(e));
  assert.ok(d, `${parser}/${fixture}: no event with action ${action}`);
  return d;
}

const ocsf = (d: EcsDoc): any => toOcsf(d, { tenant: 'acme', id: '4398046511105' });

function assertClass(r: any, classUid: number, activityId: number, statusId: number): void {
  assert.equal(r.class_uid, classUid, `class of ${r.metadata.log_name} ${r.activity_name}`);
  assert.equal(r.activity_id, activityId, `activity (${r.activity_name})`);
  assert.equal(r.status_id, statusId, 'status');
  assert.equal(r.type_uid, classUid * 100 + activityId);
  assert.equal(r.category_uid, Math.floor(classUid / 1000));
}

test('Authentication (3002): sshd logon, its failure, Windows logon types, logoff and Kerberos', () => {
  const ok = ocsf(event('sshd', 'sshd', 'ssh_login', (e) => e.event.outcome === 'success'));
  assertClass(ok, 3002, 1, 1);
  assert.equal(ok.activity_name, 'Logon');
  assert.deepEqual(ok.user, { name: 'alice' });
  assert.deepEqual(ok.src_endpoint, { ip: '192.0.2.10', port: 50522 });
  assert.deepEqual(ok.dst_endpoint, { hostname: 'bastion1' });
  assert.equal(ok.auth_protocol, 'publickey');
  assert.equal(ok.auth_protocol_id, 99);
  assert.equal(ok.severity_id, 1, 'syslog severity 6 (informational)');

  const bad = ocsf(event('sshd', 'sshd', 'ssh_login', (e) => e.event.outcome === 'failure'));
  assertClass(bad, 3002, 1, 2);
  assert.equal(bad.status, 'Failure');
  assert.equal(bad.user.name, 'oracle');

  const win = ocsf(event('windows', 'security-logon-winlogbeat', 'logged-in'));
  assertClass(win, 3002, 1, 1);
  assert.equal(win.logon_type_id, 3, 'Network');
  assert.equal(win.user.uid, 'S-1-5-21-1004336348-1177238915-682003330-1104');
  assert.equal(win.session.uid, '0x7c2e9a1');
  assert.equal(win.metadata.event_code, '4624');

  assertClass(ocsf(event('windows', 'security-logon-winlogbeat', 'logged-out')), 3002, 2, 1);
  const tgt = ocsf(event('windows', 'security-logon-winlogbeat', 'kerberos-authentication-ticket-requested'));
  assert.equal(tgt.activity_id, 3);
  assert.equal(tgt.auth_protocol_id, 2);
  assert.equal(ocsf(event('windows', 'security-logon-winlogbeat', 'kerberos-preauth-failed')).activity_id, 6);
  assertClass(ocsf(event('okta', 'system-log', 'user.session.end')), 3002, 2, 1);
});

test('Account Change (3001): create, lock, password reset, MFA, with the target as user and the admin as actor', () => {
  const created = ocsf(event('cloudtrail', 'iam', 'CreateUser'));
  assertClass(created, 3001, 1, 1);
  assert.equal(created.user.name, 'dave');
  assert.equal(created.actor.user.name, 'carol.admin');
  assert.equal(created.src_endpoint.ip, '198.51.100.23');
  assert.equal(created.cloud.provider, 'aws');
  assert.equal(created.metadata.log_provider, 'iam.amazonaws.com');

  assertClass(ocsf(event('shadow-utils', 'shadow-utils', 'user-created')), 3001, 1, 1);
  assertClass(ocsf(event('windows', 'security-logon-winlogbeat', 'locked-out-user-account')), 3001, 9, 1);
  assertClass(ocsf(event('shadow-utils', 'shadow-utils', 'user-unlocked')), 3001, 12, 1);
  assertClass(ocsf(event('okta', 'system-log', 'user.account.reset_password')), 3001, 4, 1);
  assertClass(ocsf(event('shadow-utils', 'shadow-utils', 'password-changed')), 3001, 3, 1);
  assertClass(ocsf(event('cloudtrail', 'iam', 'DeactivateMFADevice')), 3001, 11, 1);
  assertClass(ocsf(event('cloudtrail', 'iam', 'EnableMFADevice')), 3001, 10, 1);
  assertClass(ocsf(event('cloudtrail', 'iam', 'AttachUserPolicy')), 3001, 7, 1);
  assertClass(ocsf(event('cloudtrail', 'iam', 'DeleteUser')), 3001, 6, 1);
  const failed = ocsf(event('shadow-utils', 'shadow-utils', 'user-create-failed'));
  assertClass(failed, 3001, 1, 2);
});

test('Group Management (3006): add and remove a member, create and delete a group', () => {
  const add = ocsf(event('windows', 'security-groups-evtx', 'added-member-to-group'));
  assertClass(add, 3006, 3, 1);
  assert.equal(add.activity_name, 'Add User');
  assert.equal(add.group.name, 'Domain Admins');
  assert.equal(add.user.name, 'Dave Brown');
  assert.equal(add.actor.user.name, 'admin.kim');
  assertClass(ocsf(event('windows', 'security-groups-evtx', 'removed-member-from-group')), 3006, 4, 1);
  const okta = ocsf(event('okta', 'system-log', 'group.user_membership.add'));
  assertClass(okta, 3006, 3, 1);
  assert.equal(okta.group.name, 'Engineering');
  assert.equal(okta.user.name, 'carol');
  assert.equal(okta.src_endpoint.ip, '203.0.113.45');
  assertClass(ocsf(event('shadow-utils', 'shadow-utils', 'group-created')), 3006, 6, 1);
  assertClass(ocsf(event('shadow-utils', 'shadow-utils', 'group-deleted')), 3006, 5, 1);
});

test('DNS Activity (4003): query, response with answers, NXDOMAIN, a denied query', () => {
  const answer = ocsf(golden('zeek-dns', 'dns')[0]!);
  assertClass(answer, 4003, 2, 1);
  assert.deepEqual(answer.query, { hostname: 'example.com', type: 'A', class: 'IN', packet_uid: 8237 });
  assert.deepEqual(answer.answers, [{ rdata: '93.184.216.34', ttl: 300 }]);
  assert.equal(answer.rcode_id, 0);
  assert.deepEqual(answer.src_endpoint, { ip: '10.0.0.5', port: 53122 });
  assert.deepEqual(answer.dst_endpoint, { ip: '10.0.0.53', port: 53 });
  assert.equal(answer.metadata.product.name, 'Zeek');
  assert.equal(answer.duration, 12);

  const nx = ocsf(golden('zeek-dns', 'dns')[2]!);
  assert.equal(nx.rcode, 'NXDOMAIN');
  assert.equal(nx.rcode_id, 3);
  assert.equal(nx.status_id, 2);

  const query = ocsf(event('bind', 'queries-file', 'query'));
  assertClass(query, 4003, 1, 0);
  assert.equal(query.query.hostname, 'example.com');
  const denied = ocsf(event('bind', 'queries-file', 'query-denied'));
  assert.equal(denied.action_id, 2);
  assert.equal(denied.disposition, 'Blocked');
});

test('HTTP Activity (4002): a proxied GET, a denied request, an access-log line', () => {
  const squid = golden('squid', 'native');
  const get = ocsf(squid[0]!);
  assertClass(get, 4002, 3, 1);
  assert.equal(get.http_request.http_method, 'GET');
  assert.equal(get.http_request.url.url_string, 'http://example.com/');
  assert.equal(get.http_request.url.hostname, 'example.com');
  assert.equal(get.http_response.code, 200);
  assert.equal(get.http_response.length, 5120);
  assert.equal(get.actor.user.name, 'alice');
  assert.equal(get.metadata.product.vendor_name, 'Squid');
  const denied = ocsf(squid[2]!);
  assert.equal(denied.action_id, 2, 'TCP_DENIED');
  assert.equal(denied.http_response.code, 403);
  const web = ocsf(golden('web-access', 'access-file')[0]!);
  assertClass(web, 4002, 3, 1);
  assert.equal(web.http_request.user_agent, 'Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/132.0');
  assert.equal(web.http_request.referrer, 'https://intranet.example/home');
});

test('Network Activity (4001): a connection opened, closed, reset', () => {
  const open = ocsf(event('sshd', 'sshd', 'connection-accepted'));
  assertClass(open, 4001, 1, 0);
  assert.ok(open.src_endpoint.ip, 'the peer');
  assertClass(ocsf(event('sshd', 'sshd', 'disconnected')), 4001, 2, 0);
  assertClass(ocsf(event('sshd', 'sshd', 'connection-reset')), 4001, 3, 0);
  const sysmon = ocsf(event('windows', 'sysmon-winlogbeat', 'network-connection'));
  assertClass(sysmon, 4001, 1, 0);
  assert.ok(sysmon.dst_endpoint.ip);
});

test('DHCP Activity (4004): ack, nak (denied), release, from the message type', () => {
  const ack = ocsf(event('isc-dhcpd', 'dhcpd', 'dhcpack'));
  assertClass(ack, 4004, 5, 1);
  assert.deepEqual(ack.src_endpoint, { ip: '10.20.0.57', mac: '3C-52-82-1A-0B-7E', hostname: 'LAPTOP-7Q2K' });
  assert.equal(ack.action_id, 1);
  const nak = ocsf(event('isc-dhcpd', 'dhcpd', 'dhcpnak'));
  assertClass(nak, 4004, 6, 2);
  assert.equal(nak.action_id, 2);
  assertClass(ocsf(event('isc-dhcpd', 'dhcpd', 'dhcprelease')), 4004, 7, 0);
  const win = ocsf(event('windows-dhcp', 'audit-legacy', 'dhcp-renew'));
  assertClass(win, 4004, 5, 1);
  assert.equal(win.is_renewal, true);
  assert.equal(win.status_detail, 'A lease was renewed by a client.');
});

test('Process Activity (1007): a Sysmon process creation with its parent; a termination', () => {
  const launch = ocsf(event('windows', 'sysmon-winlogbeat', 'process-creation'));
  assertClass(launch, 1007, 1, 0);
  assert.equal(launch.process.name, 'powershell.exe');
  assert.equal(launch.process.pid, 11148);
  assert.match(launch.process.cmd_line, /-EncodedCommand/);
  assert.equal(launch.process.file.name, 'powershell.exe');
  assert.equal(launch.process.parent_process.name, 'cmd.exe');
  assert.equal(launch.actor.user.name, 'bob.jones');
  assert.equal(launch.actor.process.pid, 8000);
  assertClass(ocsf(event('windows', 'sysmon-winlogbeat', 'process-terminated')), 1007, 2, 0);
});

test('API Activity (6003): CloudTrail management calls', () => {
  const run = ocsf(event('cloudtrail', 'ec2', 'RunInstances', (e) => e.event.outcome === 'success'));
  assertClass(run, 6003, 1, 1);
  assert.equal(run.api.operation, 'RunInstances');
  assert.equal(run.api.service.name, 'ec2.amazonaws.com');
  assert.equal(run.actor.user.name, 'InfraOperator');
  assert.equal(run.src_endpoint.ip, '198.51.100.23');
  assert.deepEqual(run.cloud, { provider: 'aws', region: 'eu-west-1', account: { uid: '111122223333' } });
  assertClass(ocsf(event('cloudtrail', 'ec2', 'TerminateInstances')), 6003, 4, 1);
  assertClass(ocsf(event('cloudtrail', 'ec2', 'ModifyInstanceAttribute')), 6003, 3, 1);
  assertClass(ocsf(event('cloudtrail', 'ec2', 'RunInstances', (e) => e.event.outcome === 'failure')), 6003, 1, 2);
});

test('Base Event (0): an event no class takes keeps its action as the activity name', () => {
  const r = ocsf(event('windows', 'system-defender-wazuh', 'malware-detected'));
  assertClass(r, 0, 99, r.status_id);
  assert.equal(r.activity_name, 'malware-detected');
  assert.equal(r.type_uid, 99);
});

test('severity: an alert by its rule level, else the syslog severity, else the log level', () => {
  const alert = { '@timestamp': '2026-11-23T08:00:00.000Z', event: { kind: 'alert', action: 'rule-match', dataset: 'vigil.alerts', severity: 73 }, vigil: { alert: { level: 'high' } } };
  assert.equal(ocsf(alert).severity_id, 4);
  assert.equal(ocsf(alert).severity, 'High');
  assert.equal(ocsf({ ...alert, vigil: {}, log: { syslog: { severity: { code: 3 } } } }).severity_id, 4, 'err');
  assert.equal(ocsf({ ...alert, vigil: {}, log: { level: 'warning' } }).severity_id, 3);
  assert.equal(ocsf({ ...alert, vigil: {} }).severity_id, 0);
});

// Properties over every golden event of every parser.
function allGoldens(): { where: string; doc: EcsDoc }[] {
  const out: { where: string; doc: EcsDoc }[] = [];
  for (const parser of readdirSync(PARSERS)) {
    const dir = join(PARSERS, parser, 'fixtures');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ecs.json'))) {
      (JSON.parse(readFileSync(join(dir, f), 'utf8')) as EcsDoc[]).forEach((doc, i) => out.push({ where: `${parser}/${f}#${i}`, doc }));
    }
  }
  return out;
}

test('every golden event: a known class and activity, type_uid, time, metadata, raw_data', () => {
  const all = allGoldens();
  assert.ok(all.length > 500);
  const seen = new Set<number>();
  for (const { where, doc } of all) {
    const r = ocsf(doc);
    const cls = CLASSES.find((c) => c.uid === r.class_uid);
    assert.ok(cls, where);
    seen.add(r.class_uid);
    assert.ok(r.activity_id === 0 || r.activity_id === 99 || cls.activities[r.activity_id], `${where}: activity ${r.activity_id}`);
    assert.equal(r.type_uid, r.class_uid * 100 + r.activity_id, where);
    assert.equal(typeof r.time, 'number', where);
    assert.equal(r.time, Date.parse((doc as any)['@timestamp']), where);
    assert.ok([0, 1, 2].includes(r.status_id), where);
    assert.equal(r.metadata.version, OCSF_VERSION);
    assert.equal(r.metadata.uid, '4398046511105');
    assert.equal(r.metadata.tenant_uid, 'acme');
    assert.ok(r.metadata.product.name, where);
    assert.equal(r.raw_data, (doc as any).event.original, where);
  }
  assert.deepEqual([...seen].sort((a, b) => a - b), CLASSES.map((c) => c.uid).sort((a, b) => a - b), 'the goldens reach every class');
});

test('every golden event: each ECS value is somewhere in the record (mapped, or in unmapped)', () => {
  // Converted on purpose (times to epoch ms, durations to ms), or duplicates of mapped fields (related.*).
  // Strings are compared case-blind: an outcome becomes status "Success", a method or rcode upper case.
  const converted = /^(@timestamp|event\.(start|end|ingested|duration)|related\..*)$/;
  for (const { where, doc } of allGoldens()) {
    const json = JSON.stringify(ocsf(doc)).toLowerCase(); // outcome becomes status "Success", an rcode upper case
    const walk = (v: EcsValue, path: string): void => {
      if (Array.isArray(v)) return v.forEach((c) => walk(c, path));
      if (v !== null && typeof v === 'object') {
        for (const [k, c] of Object.entries(v)) if (c !== undefined && c !== null) walk(c, path ? `${path}.${k}` : k);
        return;
      }
      if (converted.test(path)) return;
      const forms = [JSON.stringify(v)];
      if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) forms.push(String(Number(v)));
      assert.ok(forms.some((f) => json.includes(f.toLowerCase())), `${where}: ${path} = ${JSON.stringify(v)} is lost`);
    };
    walk(doc, '');
  }
});
