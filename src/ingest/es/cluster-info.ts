// The documents shippers read at start-up to decide they are talking to Elasticsearch 8:
//   Beats (libbeat): GET / -> version.number (refuses a server older than itself unless allow_older_versions)
//   Logstash: HEAD /, GET / (tagline, build_flavor, X-Elastic-Product), GET /_license (status must be
//             "active" or the node is marked dead), GET /_xpack (is ILM there?)
//   Vector: GET /_cluster/health (healthcheck), GET / (api_version: auto)
//   sniffing clients: GET /_nodes/http
// Vigil reports ILM as not available: it keeps its own retention, and Logstash with ilm_enabled => auto
// then writes to its plain index instead of creating rollover aliases.
import { createHash } from 'node:crypto';

export const ES_VERSION = '8.17.0';
const LUCENE_VERSION = '9.12.0';
const NAME = 'vigil';
/** Stable across restarts, as a real cluster's is. */
export const CLUSTER_UUID = createHash('sha256').update('vigil-cluster').digest('base64url').slice(0, 22);
const NODE_ID = createHash('sha256').update('vigil-node').digest('base64url').slice(0, 22);
const BUILD_HASH = createHash('sha1').update(`vigil-${ES_VERSION}`).digest('hex');
const BUILD_DATE = '2024-12-11T12:08:05.663969764Z';

export function rootDocument(version = ES_VERSION): Record<string, unknown> {
  return {
    name: NAME,
    cluster_name: NAME,
    cluster_uuid: CLUSTER_UUID,
    version: {
      number: version,
      build_flavor: 'default',
      build_type: 'docker',
      build_hash: BUILD_HASH,
      build_date: BUILD_DATE,
      build_snapshot: false,
      lucene_version: LUCENE_VERSION,
      minimum_wire_compatibility_version: '7.17.0',
      minimum_index_compatibility_version: '7.0.0',
    },
    tagline: 'You Know, for Search',
  };
}

const LICENSE_UID = createHash('sha256').update('vigil-license').digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5');
const ISSUED = Date.parse('2024-01-01T00:00:00Z');

export function licenseDocument(): Record<string, unknown> {
  return {
    license: {
      status: 'active',
      uid: LICENSE_UID,
      type: 'basic',
      issue_date: new Date(ISSUED).toISOString(),
      issue_date_in_millis: ISSUED,
      max_nodes: 1000,
      max_resource_units: null,
      issued_to: NAME,
      issuer: 'elasticsearch',
      start_date_in_millis: -1,
    },
  };
}

export function xpackDocument(): Record<string, unknown> {
  const off = { available: false, enabled: false };
  return {
    build: { hash: BUILD_HASH, date: BUILD_DATE },
    license: { uid: LICENSE_UID, type: 'basic', mode: 'basic', status: 'active' },
    features: {
      ilm: off,
      slm: off,
      ml: off,
      watcher: off,
      monitoring: off,
      security: { available: true, enabled: true },
      data_streams: { available: true, enabled: true },
    },
    tagline: 'You know, for X',
  };
}

export function clusterHealth(): Record<string, unknown> {
  return {
    cluster_name: NAME,
    status: 'green',
    timed_out: false,
    number_of_nodes: 1,
    number_of_data_nodes: 1,
    active_primary_shards: 0,
    active_shards: 0,
    relocating_shards: 0,
    initializing_shards: 0,
    unassigned_shards: 0,
    unassigned_primary_shards: 0,
    delayed_unassigned_shards: 0,
    number_of_pending_tasks: 0,
    number_of_in_flight_fetch: 0,
    task_max_waiting_in_queue_millis: 0,
    active_shards_percent_as_number: 100.0,
  };
}

/** One node, whose HTTP address is the one the client used (so a sniffing client stays on it). */
export function nodesDocument(host: string, maxContentLength: number, version = ES_VERSION): Record<string, unknown> {
  const hostname = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return {
    _nodes: { total: 1, successful: 1, failed: 0 },
    cluster_name: NAME,
    nodes: {
      [NODE_ID]: {
        name: NAME,
        transport_address: host,
        host: hostname,
        ip: hostname,
        version,
        build_flavor: 'default',
        build_type: 'docker',
        build_hash: BUILD_HASH,
        roles: ['data', 'ingest', 'master'],
        attributes: {},
        http: { bound_address: [host], publish_address: host, max_content_length_in_bytes: maxContentLength },
      },
    },
  };
}
