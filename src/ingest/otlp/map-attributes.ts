// OpenTelemetry attributes (resource, scope and log-record) as ECS fields. The table follows the
// OpenTelemetry semantic conventions and Elastic's own OTel-to-ECS mappings (apm-data's OTLP input and
// the Collector's elasticsearch exporter in `ecs` mode): deployment.environment -> service.environment,
// host.arch -> host.architecture, os.* -> host.os.*, k8s.* -> kubernetes.* as Beats name them, and so on.
// Where Vigil departs from them it says why beside the entry.
//
// An attribute with no ECS home goes under `labels`, as Elastic's APM does: the key with its dots made
// underscores (ECS label keys hold no dots), the value as text (ECS labels are keywords; an array is a
// list of texts, a kvlist its JSON). An attribute whose value does not fit its ECS field (a pid that is
// not a number) goes there too, rather than being lost or stored with the wrong type.
import { isIP } from 'node:net';
import { setPath, type EcsDoc, type EcsValue } from '../../core/event.js';
import type { OtlpAnyValue, OtlpKeyValue } from '../../wire/otlp-logs.js';
import { labelValue, plainDoc, valueText } from './map-value.js';

/** How a value is written to its ECS field(s). */
type Kind = 'keyword' | 'long' | 'keywords' | 'lowercase' | 'ips';

interface Rule {
  to: readonly string[];
  kind: Kind;
}

const kw = (...to: string[]): Rule => ({ to, kind: 'keyword' });
const long = (...to: string[]): Rule => ({ to, kind: 'long' });
const list = (...to: string[]): Rule => ({ to, kind: 'keywords' });

export const ATTRIBUTE_FIELDS: Readonly<Record<string, Rule>> = {
  // service.* (service.namespace is not in ECS: kept beside service.name, as Elastic's exporter keeps it)
  'service.name': kw('service.name'),
  'service.version': kw('service.version'),
  'service.namespace': kw('service.namespace'),
  'service.instance.id': kw('service.node.name'),
  'deployment.environment': kw('service.environment'),
  'deployment.environment.name': kw('service.environment'),
  // telemetry.sdk.* -> agent.*, as Elastic does; a distribution's name and version win (below)
  'telemetry.sdk.name': kw('agent.name'),
  'telemetry.sdk.version': kw('agent.version'),
  // host.* (Elastic's ECS mode also copies host.name to host.hostname; Vigil's parsers and queries use
  // host.name alone, and a second copy could disagree with the line's own host)
  'host.name': kw('host.name'),
  'host.id': kw('host.id'),
  'host.type': kw('host.type'),
  'host.arch': kw('host.architecture'),
  'host.ip': { to: ['host.ip'], kind: 'ips' },
  'host.mac': list('host.mac'),
  'os.type': { to: ['host.os.platform'], kind: 'lowercase' },
  'os.name': kw('host.os.name'),
  'os.version': kw('host.os.version'),
  'os.description': kw('host.os.full'),
  // cloud.* (cloud.platform is the service, e.g. aws_ec2)
  'cloud.provider': kw('cloud.provider'),
  'cloud.account.id': kw('cloud.account.id'),
  'cloud.region': kw('cloud.region'),
  'cloud.availability_zone': kw('cloud.availability_zone'),
  'cloud.platform': kw('cloud.service.name'),
  // container.*
  'container.id': kw('container.id'),
  'container.name': kw('container.name'),
  'container.runtime': kw('container.runtime'),
  'container.image.name': kw('container.image.name'),
  'container.image.tag': list('container.image.tag'),
  'container.image.tags': list('container.image.tag'),
  // k8s.* -> kubernetes.* (Beats' and Elastic's names), the cluster as ECS's orchestrator.*
  'k8s.cluster.name': kw('orchestrator.cluster.name'),
  'k8s.cluster.uid': kw('orchestrator.cluster.id'),
  'k8s.namespace.name': kw('kubernetes.namespace'),
  'k8s.node.name': kw('kubernetes.node.name'),
  'k8s.node.uid': kw('kubernetes.node.uid'),
  'k8s.pod.name': kw('kubernetes.pod.name'),
  'k8s.pod.uid': kw('kubernetes.pod.uid'),
  'k8s.container.name': kw('kubernetes.container.name'),
  'k8s.deployment.name': kw('kubernetes.deployment.name'),
  'k8s.replicaset.name': kw('kubernetes.replicaset.name'),
  'k8s.statefulset.name': kw('kubernetes.statefulset.name'),
  'k8s.daemonset.name': kw('kubernetes.daemonset.name'),
  'k8s.job.name': kw('kubernetes.job.name'),
  'k8s.cronjob.name': kw('kubernetes.cronjob.name'),
  // process.* (process.owner -> process.user.name, not Elastic's user.name: in a security event
  // user.name is the user acting, not the account the logging process runs as)
  'process.pid': long('process.pid'),
  'process.parent_pid': long('process.parent.pid'),
  'process.executable.name': kw('process.name'),
  'process.executable.path': kw('process.executable'),
  'process.command_line': kw('process.command_line'),
  'process.command_args': list('process.args'),
  'process.owner': kw('process.user.name'),
  // device.*
  'device.id': kw('device.id'),
  'device.manufacturer': kw('device.manufacturer'),
  'device.model.identifier': kw('device.model.identifier'),
  'device.model.name': kw('device.model.name'),
  // the log file (the Collector's filelog receiver); log.file.name is not in ECS, kept beside the path
  'log.file.path': kw('log.file.path'),
  'log.file.name': kw('log.file.name'),
  'log.iostream': kw('stream'),
  // what happened, and where in the code
  'event.name': kw('event.action'),
  'exception.type': kw('error.type'),
  'exception.message': kw('error.message'),
  'exception.stacktrace': kw('error.stack_trace'),
  'code.function': kw('log.origin.function'),
  'code.function.name': kw('log.origin.function'),
  'code.filepath': kw('log.origin.file.name'),
  'code.file.path': kw('log.origin.file.name'),
  'code.lineno': long('log.origin.file.line'),
  'code.line.number': long('log.origin.file.line'),
  // who and where on the network (semconv names these as ECS does)
  'user.id': kw('user.id'),
  'user.name': kw('user.name'),
  'user.full_name': kw('user.full_name'),
  'user.email': kw('user.email'),
  'user.hash': kw('user.hash'),
  'user.roles': list('user.roles'),
  'enduser.id': kw('user.id'),
  'client.address': kw('client.address'),
  'client.port': long('client.port'),
  'source.address': kw('source.address'),
  'source.port': long('source.port'),
  'server.address': kw('server.address'),
  'server.port': long('server.port'),
  'destination.address': kw('destination.address'),
  'destination.port': long('destination.port'),
  'network.transport': kw('network.transport'),
  'network.type': kw('network.type'),
  'network.protocol.name': kw('network.protocol'),
  'http.request.method': kw('http.request.method'),
  'http.response.status_code': long('http.response.status_code'),
  'url.full': kw('url.full', 'url.original'),
  'url.path': kw('url.path'),
  'url.query': kw('url.query'),
  'url.scheme': kw('url.scheme'),
  'url.domain': kw('url.domain'),
  'user_agent.original': kw('user_agent.original'),
};

/** ECS's host.os.type from OpenTelemetry's os.type and os.name (ECS allows only these values). */
const OS_TYPE: Readonly<Record<string, string>> = { linux: 'linux', windows: 'windows', darwin: 'macos', aix: 'unix', hpux: 'unix', solaris: 'unix' };
const MOBILE_OS: Readonly<Record<string, string>> = { Android: 'android', iOS: 'ios' };

/** The value as its ECS field takes it, or undefined when it does not fit. */
function coerce(v: OtlpAnyValue, kind: Kind): EcsValue | undefined {
  switch (kind) {
    case 'keyword':
    case 'lowercase': {
      if (v.type === 'array' || v.type === 'kvlist' || v.type === 'empty') return undefined;
      const s = valueText(v);
      return kind === 'lowercase' ? s.toLowerCase() : s;
    }
    case 'long': {
      if (v.type === 'int' && v.value >= 0n && v.value <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v.value);
      if (v.type === 'string' && /^\d{1,15}$/.test(v.value)) return Number(v.value);
      return undefined;
    }
    case 'keywords':
    case 'ips': {
      const items = v.type === 'array' ? v.value : [v];
      if (items.some((x) => x.type === 'array' || x.type === 'kvlist')) return undefined;
      const texts = items.filter((x) => x.type !== 'empty').map(valueText);
      // An ECS ip field holds addresses only: a list with anything else stays a label, whole.
      return kind === 'ips' && !texts.every((t) => isIP(t)) ? undefined : texts;
    }
  }
}

/** labels.<key with dots as underscores>, created as a prototype-less object. */
export function setLabel(doc: EcsDoc, key: string, v: OtlpAnyValue): void {
  const value = labelValue(v);
  if (value === null || key === '') return;
  let labels = doc.labels;
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    labels = plainDoc();
    doc.labels = labels;
  }
  (labels as EcsDoc)[key.replace(/\./g, '_')] = value;
}

/** Writes `attrs` into `doc` as ECS fields and labels; later attributes overwrite earlier ones. */
export function mapAttributes(attrs: readonly OtlpKeyValue[], doc: EcsDoc): void {
  let distro: { name?: string; version?: string } | undefined;
  for (const { key, value } of attrs) {
    if (key === 'telemetry.distro.name' || key === 'telemetry.distro.version') {
      // Elastic names the agent after the distribution (EDOT, …) when there is one.
      distro ??= {};
      if (value.type === 'string') distro[key === 'telemetry.distro.name' ? 'name' : 'version'] = value.value;
      continue;
    }
    const rule = Object.hasOwn(ATTRIBUTE_FIELDS, key) ? ATTRIBUTE_FIELDS[key] : undefined;
    const v = rule ? coerce(value, rule.kind) : undefined;
    if (!rule || v === undefined) {
      setLabel(doc, key, value);
      continue;
    }
    for (const path of rule.to) setPath(doc, path, v);
    afterField(doc, key, v);
  }
  if (distro?.name) setPath(doc, 'agent.name', distro.name);
  if (distro?.version) setPath(doc, 'agent.version', distro.version);
}

/** Fields that follow from another: the OS type, the orchestrator, an address that is an IP. */
function afterField(doc: EcsDoc, key: string, v: EcsValue): void {
  if (key === 'os.type' && typeof v === 'string' && Object.hasOwn(OS_TYPE, v)) setPath(doc, 'host.os.type', OS_TYPE[v]);
  else if (key === 'os.name' && typeof v === 'string' && Object.hasOwn(MOBILE_OS, v)) setPath(doc, 'host.os.type', MOBILE_OS[v]);
  else if (key.startsWith('k8s.')) setPath(doc, 'orchestrator.type', 'kubernetes');
  else if (key.endsWith('.address') && typeof v === 'string' && isIP(v)) setPath(doc, `${key.slice(0, -'.address'.length)}.ip`, v);
}
