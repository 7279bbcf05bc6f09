// Conformance of the cloud and identity-provider JSON parsers (cloudtrail, entra-id, okta, auth0,
// github-audit, google-workspace) against the shared corpus, read in place:
//  - recognition share over third-party samples (Panther rule tests' logs, OTRF, Datadog, Wazuh), with a
//    floor per source;
//  - Elastic's expected ECS output, field by field, where the corpus has it beside its input. Deliberate
//    differences are listed with each comparison.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { getPath, type EcsDoc } from '../../src/core/event.js';
import { canonicalJson, requireCorpus, runRecord } from './corpus.js';

const corpus = requireCorpus();

/** Panther rule tests: the "log" of each test whose log type is one of `types`. */
function panther(file: string, types: string[]): EcsDoc[] {
  return readFileSync(join(corpus, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { log_types: string[]; log: EcsDoc })
    .filter((t) => t.log_types.some((x) => types.includes(x)))
    .map((t) => t.log);
}

function jsonLines(file: string): EcsDoc[] {
  return readFileSync(join(corpus, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EcsDoc);
}

/** Share of records the parser took (parsed or partial), and the ones it missed, for the message. */
const run = (record: unknown): any => runRecord(typeof record === 'string' ? record : JSON.stringify(record), 'json');

function share(parser: string, records: unknown[]): { share: number; missed: string[]; n: number } {
  const missed: string[] = [];
  for (const r of records) {
    const d = run(r);
    if (d.vigil.parse.parser !== parser) missed.push(JSON.stringify(r).slice(0, 160));
  }
  const n = records.length;
  const s = (n - missed.length) / n;
  console.log(`${parser.padEnd(18)} ${String(n).padStart(5)} records ${(100 * s).toFixed(1).padStart(6)}% recognised`);
  return { share: s, missed, n };
}

/** Compares the listed fields of our event with Elastic's expected document. */
function compare(ours: any, expected: any, fields: string[]): string[] {
  const diffs: string[] = [];
  for (const f of fields) {
    const a = canonicalJson(getPath(ours, f));
    const b = canonicalJson(getPath(expected, f));
    if (a !== b) diffs.push(`${f}: ours ${a} / Elastic ${b}`);
  }
  return diffs;
}

// --- recognition shares ---------------------------------------------------------------------------

test('cloudtrail: share of CloudTrail records recognised', () => {
  // Panther's records are hand-written: 52 lack eventVersion (taken when eventSource names an AWS
  // service), 8 have lower-cased keys (read), 2 have no eventSource at all (not claimed).
  const p = share('cloudtrail', panther('cloudtrail/panther_cloudtrail_rule_tests.jsonl', ['AWS.CloudTrail']));
  assert.ok(p.share >= 0.99, p.missed.slice(0, 5).join('\n'));
  // OTRF's capture: real records, one per line (with Logstash's @version/@timestamp added).
  const o = share('cloudtrail', jsonLines('cloudtrail/otrf_ec2_proxy_s3_exfiltration_2020-09-14011940.json'));
  assert.equal(o.share, 1, o.missed.slice(0, 5).join('\n'));
});

test('entra-id: share of Entra ID sign-in and audit records recognised', () => {
  const p = share('entra-id', panther('azure_ad/panther_azure_signin_rule_tests.jsonl', ['Azure.Audit']));
  assert.ok(p.share >= 0.97, p.missed.slice(0, 5).join('\n'));
});

test('okta: share of Okta System Log records recognised', () => {
  // Only the tests whose log type is Okta.SystemLog: the others are Panther's own anomaly summaries.
  const p = share('okta', panther('okta/panther_okta_rule_tests.jsonl', ['Okta.SystemLog']));
  // Two hand-written records have neither actor nor published time.
  assert.ok(p.share >= 0.95, p.missed.slice(0, 5).join('\n'));
});

test('auth0: share of Auth0 log events recognised', () => {
  const p = share('auth0', panther('auth0/panther_auth0_rule_tests.jsonl', ['Auth0.Events']));
  assert.ok(p.share >= 0.98, p.missed.slice(0, 5).join('\n'));
  const elastic = JSON.parse(readFileSync(join(corpus, 'auth0/test-login-failure.json'), 'utf8')) as { events: { json: EcsDoc }[] };
  const e = share('auth0', elastic.events.map((x) => x.json));
  assert.equal(e.share, 1, e.missed.join('\n'));
  const dd = parseYaml(readFileSync(join(corpus, 'auth0/datadog/auth0_tests.yaml'), 'utf8')) as { tests: { sample: string }[] };
  const d = share('auth0', dd.tests.map((t) => t.sample));
  assert.equal(d.share, 1, d.missed.join('\n'));
});

test('github-audit: share of GitHub audit events recognised', () => {
  // GitHub.Webhook tests are repository webhooks (workflow_run, pull_request payloads), not the audit log.
  const p = share('github-audit', panther('github_audit/panther_github_rule_tests.jsonl', ['GitHub.Audit']));
  assert.ok(p.share >= 0.95, p.missed.slice(0, 5).join('\n'));
  // Wazuh wraps each audit event as {"integration":"github","github":{...}}: the inner event is GitHub's.
  const wazuh = readFileSync(join(corpus, 'github_audit/wazuh/github.ini'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('log '))
    .map((l) => (JSON.parse(l.slice(l.indexOf('{'))) as { github?: EcsDoc }).github)
    // Its category tests use a bare prefix ("account.") that GitHub never emits as an action.
    .filter((g): g is EcsDoc => !!g && !String(g.action).endsWith('.'));
  const w = share('github-audit', wazuh);
  assert.ok(w.share >= 0.97, w.missed.slice(0, 5).join('\n'));
});

test('google-workspace: share of Reports API activities recognised', () => {
  // Panther flattens each activity to one event per record (name/type/parameters at the top).
  const a = panther('google_workspace/panther_gsuite_activityevent_rule_tests.jsonl', ['GSuite.ActivityEvent']);
  const r = panther('google_workspace/panther_gsuite_reports_rule_tests.jsonl', ['GSuite.ActivityEvent']);
  const p = share('google-workspace', [...a, ...r]);
  assert.ok(p.share >= 0.95, p.missed.slice(0, 5).join('\n'));
});

// --- Elastic's expected output, field by field ------------------------------------------------------
// Ignored everywhere: event.ingested, event.created, ecs.version, agent.*, *.geo.*, *.as.*, tags,
// data_stream.*, input.*, elastic_agent.*, and user_agent.* other than user_agent.original (Vigil does
// not parse user agents: no UA database).

test("cloudtrail: Elastic's expected ECS for IAM CreateUser", () => {
  const { expected } = JSON.parse(readFileSync(join(corpus, 'cloudtrail/test-create-user-json.log-expected.json'), 'utf8')) as { expected: any[] };
  const exp = expected[0];
  const ours = run(exp.event.original);
  assert.equal(ours.vigil.parse.parser, 'cloudtrail');
  const diffs = compare(ours, exp, [
    '@timestamp', 'event.action', 'event.category', 'event.kind', 'event.outcome', 'event.provider', 'event.type',
    'cloud.account.id', 'cloud.region', 'source.address', 'source.ip', 'user.id', 'user.name', 'user.target.id',
    'user.target.name', 'user_agent.original', 'related.user', 'aws.cloudtrail.event_version',
    'aws.cloudtrail.user_identity.access_key_id', 'aws.cloudtrail.user_identity.arn', 'aws.cloudtrail.user_identity.type',
  ]);
  assert.deepEqual(diffs, []);
  // Deliberate differences:
  // - request_parameters / response_elements are JSON text ({"userName":"Bob"}); Elastic writes Java's
  //   Map.toString() ({userName=Bob}), which cannot be parsed back.
  assert.deepEqual(JSON.parse(ours.aws.cloudtrail.request_parameters), { userName: 'Bob' });
  assert.equal(exp.aws.cloudtrail.request_parameters, '{userName=Bob}');
  // - no aws.cloudtrail.flattened.* copy of those objects (their keys differ per API and would grow the
  //   column set without bound); the fields that matter are mapped to ECS or aws.* names.
  assert.equal(ours.aws.cloudtrail.flattened, undefined);
  // - cloud.provider "aws", vigil.* tags (B1.1, P2a) and related.ip are added.
  assert.equal(ours.cloud.provider, 'aws');
  assert.deepEqual(ours.vigil.requirements, ['B1.1']);
});

test("okta: Elastic's sample event (user.session.start)", () => {
  const exp = JSON.parse(readFileSync(join(corpus, 'okta/sample_event.json'), 'utf8'));
  const ours = run(exp.event.original);
  assert.equal(ours.vigil.parse.parser, 'okta');
  const diffs = compare(ours, exp, [
    '@timestamp', 'event.action', 'event.category', 'event.id', 'event.kind', 'event.outcome', 'event.type',
    'client.ip', 'client.user.full_name', 'client.user.id', 'client.user.name', 'source.ip', 'source.user.full_name',
    'source.user.id', 'source.user.name', 'user.full_name', 'user.name', 'user_agent.original', 'related.ip',
    'okta.actor', 'okta.authentication_context', 'okta.client', 'okta.display_message', 'okta.event_type',
    'okta.outcome', 'okta.request', 'okta.transaction', 'okta.uuid', 'okta.debug_context.debug_data.device_fingerprint',
    'okta.debug_context.debug_data.request_id', 'okta.debug_context.debug_data.request_uri',
    'okta.debug_context.debug_data.threat_suspected', 'okta.debug_context.debug_data.url',
    'client.geo.city_name', 'client.geo.country_name', 'client.geo.region_name', 'client.geo.location',
  ]);
  assert.deepEqual(diffs, []);
  // Deliberate differences:
  // - user.id, user.email and user.domain are added from the actor (Elastic keeps only the login's local
  //   part in user.name), so related.user also holds the login's local part only once.
  assert.equal(ours.user.email, 'xxxxxx@elastic.co');
  // - no okta.debug_context.debug_data.flattened copy; okta.version and okta.severity are kept.
  // - user.session.start success is tagged P1a.
  assert.deepEqual(ours.vigil.principles, ['P1a']);
});

test("entra-id: Elastic's sample sign-in event", () => {
  const exp = JSON.parse(readFileSync(join(corpus, 'azure_ad/signinlogs.sample_event.json'), 'utf8'));
  const ours = run(exp.event.original);
  assert.equal(ours.vigil.parse.parser, 'entra-id');
  const props = [
    'app_display_name', 'app_id', 'client_app_used', 'conditional_access_status', 'correlation_id', 'created_at',
    'device_detail.browser', 'device_detail.operating_system', 'id', 'is_interactive', 'original_request_id',
    'processing_time_ms', 'risk_detail', 'risk_level_aggregated', 'risk_level_during_signin', 'risk_state',
    'status.error_code', 'token_issuer_type', 'user_display_name', 'user_id', 'user_principal_name',
  ].map((p) => `azure.signinlogs.properties.${p}`);
  const diffs = compare(ours, exp, [
    '@timestamp', 'event.action', 'event.category', 'event.duration', 'event.id', 'event.kind', 'event.outcome', 'event.type',
    'client.ip', 'source.ip', 'source.address', 'cloud.provider', 'log.level', 'message', 'related.ip',
    'user.domain', 'user.full_name', 'user.id', 'user.name', 'azure.tenant_id', 'azure.correlation_id',
    'azure.resource.id', 'azure.resource.provider', 'azure.signinlogs.category', 'azure.signinlogs.identity',
    'azure.signinlogs.operation_name', 'azure.signinlogs.operation_version', 'azure.signinlogs.result_description',
    'azure.signinlogs.result_signature', 'azure.signinlogs.result_type', ...props,
  ]);
  assert.deepEqual(diffs, []);
  // Deliberate differences:
  // - Elastic drops empty strings (device_id, service_principal_id, token_issuer_name) but keeps them in
  //   this older sample; Vigil drops them.
  assert.equal(exp.azure.signinlogs.properties.service_principal_id, '');
  assert.equal(ours.azure.signinlogs.properties.service_principal_id, undefined);
  // - properties.status.failure_reason and properties.location are kept (Elastic moves the location to
  //   geo.*, which is not compared); properties.ip_address is kept too.
  // - the failed sign-in is tagged B1.4 and P1a.
  assert.deepEqual(ours.vigil.requirements, ['B1.4']);
});

test("auth0: Elastic's sample event (successful login)", () => {
  const exp = JSON.parse(readFileSync(join(corpus, 'auth0/sample_event.json'), 'utf8'));
  const ours = run(exp.event.original);
  assert.equal(ours.vigil.parse.parser, 'auth0');
  const data = ['client_id', 'client_name', 'connection', 'connection_id', 'date', 'hostname', 'strategy', 'strategy_type', 'details.session_id', 'details.stats.loginsCount', 'details.elapsedTime'].map(
    (f) => `auth0.logs.data.${f}`,
  );
  const diffs = compare(ours, exp, [
    '@timestamp', 'event.action', 'event.category', 'event.id', 'event.kind', 'event.outcome', 'event.type',
    'network.type', 'source.ip', 'user.id', 'user.name', 'user_agent.original', 'auth0.logs.data.classification', ...data,
  ]);
  assert.deepEqual(diffs, []);
  // Deliberate differences:
  // - auth0.logs.data.type keeps Auth0's code ("s"); Elastic replaces it with the description
  //   ("Successful login"), which event.action already carries in kebab case.
  assert.equal(ours.auth0.logs.data.type, 's');
  assert.equal(exp.auth0.logs.data.type, 'Successful login');
  // - details.*At epoch milliseconds stay numbers; Elastic also writes auth0.logs.data.login.* (ISO
  //   copies of details) and log.level "info", which Vigil does not derive.
  // - the event keeps auth0.logs.data.ip, user_id, user_name, user_agent and log_id (Elastic moves them).
});

test("github-audit: Elastic's sample event (repo.destroy)", () => {
  const exp = JSON.parse(readFileSync(join(corpus, 'github_audit/sample_event.json'), 'utf8'));
  const ours = run(exp.event.original);
  assert.equal(ours.vigil.parse.parser, 'github-audit');
  const diffs = compare(ours, exp, [
    '@timestamp', 'event.action', 'event.category', 'event.id', 'event.kind', 'event.type', 'related.user',
    'user.name', 'github.category', 'github.org', 'github.repo',
  ]);
  assert.deepEqual(diffs, []);
  // Deliberate differences: github.visibility is kept; repo.* events are tagged E8.1 (pipeline source).
  assert.equal(ours.github.visibility, 'private');
  assert.deepEqual(ours.vigil.requirements, ['E8.1']);
});

test("google-workspace: Elastic's login sample, from a Reports API activity rebuilt from it", () => {
  // The sample has no event.original: the activity is rebuilt from its fields in the API's documented
  // shape (kind, id, actor, ipAddress, events[{type, name, parameters}]), so this checks where each
  // value lands rather than how the input was read.
  const exp = JSON.parse(readFileSync(join(corpus, 'google_workspace/login.sample_event.json'), 'utf8'));
  const activity = {
    kind: exp.google_workspace.kind,
    id: { time: exp['@timestamp'], uniqueQualifier: exp.event.id, applicationName: exp.event.provider, customerId: exp.organization.id },
    actor: { callerType: exp.google_workspace.actor.type, email: exp.source.user.email, profileId: exp.source.user.id },
    ownerDomain: exp.google_workspace.organization.domain,
    ipAddress: exp.source.ip,
    events: [
      {
        type: exp.google_workspace.event.type,
        name: exp.event.action,
        parameters: [{ name: 'affected_email_address', value: exp.google_workspace.login.affected_email_address }],
      },
    ],
  };
  const ours = run(activity);
  assert.equal(ours.vigil.parse.parser, 'google-workspace');
  const diffs = compare(ours, exp, [
    '@timestamp', 'event.action', 'event.id', 'event.provider', 'organization.id', 'source.ip', 'source.user.domain',
    'source.user.email', 'source.user.id', 'source.user.name', 'user.domain', 'user.id', 'user.name',
    'user.target.name', 'google_workspace.actor.type', 'google_workspace.event.type', 'google_workspace.kind',
    'google_workspace.login.affected_email_address', 'google_workspace.organization.domain',
  ]);
  assert.deepEqual(diffs, []);
  // Deliberate differences:
  // - user.target.domain is the affected address's own domain (elastic.co); Elastic's sample writes
  //   elastic.co too, but Vigil also keeps user.target.email.
  assert.equal(ours.user.target.domain, exp.user.target.domain);
  // - account_disabled_* is categorised iam / user,change (Elastic: authentication / user,change) and
  //   tagged B1.2 (the account was disabled by Google for a leaked password: a lockout).
  assert.deepEqual(exp.event.category, ['authentication']);
  assert.deepEqual(ours.event.category, ['iam']);
  assert.deepEqual(ours.vigil.requirements, ['B1.2']);
});
