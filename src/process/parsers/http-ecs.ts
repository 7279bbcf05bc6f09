// ECS http.*/url.* building blocks shared by the web and proxy parsers (web-access, squid, haproxy,
// aws-alb): request lines, URLs, access-log times, outcome from the status code.
import type { EcsDoc } from '../../core/event.js';
import { evidence, isIp } from './ecs.js';

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

/** "23/Nov/2026:08:00:01 +0000" (or with ".123" and no zone, as HAProxy writes) as ISO; zone-less is UTC. */
export function clfTime(s: string): string | undefined {
  const m = /^(\d{1,2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: ([+-])(\d{2}):?(\d{2}))?$/.exec(s);
  if (!m) return undefined;
  const mon = MONTHS[m[2]!];
  if (mon === undefined) return undefined;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const off = m[8] ? (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10])) : 0;
  const t = Date.UTC(+m[3]!, mon, +m[1]!, +m[4]!, +m[5]!, +m[6]!, ms) - off * 60_000;
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

export interface RequestLine {
  method?: string;
  target?: string;
  version?: string;
}

/** "GET /x?y HTTP/1.1" -> method, target, version; a request that is not one (e.g. "-") gives {}. */
export function requestLine(s: string): RequestLine {
  const m = /^([A-Za-z][A-Za-z-]*) (\S+)(?: HTTP\/(\d+(?:\.\d+)?))?$/.exec(s);
  if (!m) return {};
  const out: RequestLine = { method: m[1]!, target: m[2]! };
  if (m[3]) out.version = m[3];
  return out;
}

function hostPort(authority: string): { host: string; port?: number } {
  const a = authority.slice(authority.lastIndexOf('@') + 1);
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(a);
  if (v6) return v6[2] ? { host: v6[1]!, port: Number(v6[2]) } : { host: v6[1]! };
  const colon = a.lastIndexOf(':');
  if (colon > 0 && /^\d+$/.test(a.slice(colon + 1))) return { host: a.slice(0, colon), port: Number(a.slice(colon + 1)) };
  return { host: a };
}

function pathParts(url: EcsDoc, rest: string): void {
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    if (hash + 1 < rest.length) url.fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  const q = rest.indexOf('?');
  const path = q >= 0 ? rest.slice(0, q) : rest;
  if (q >= 0 && q + 1 < rest.length) url.query = rest.slice(q + 1);
  if (path) {
    url.path = path;
    const last = path.slice(path.lastIndexOf('/') + 1);
    const dot = last.lastIndexOf('.');
    if (dot > 0 && dot < last.length - 1) url.extension = last.slice(dot + 1).toLowerCase();
  }
}

/**
 * url.* for a request target: origin form (/path?q), absolute form (http://host/path), or the
 * authority form of CONNECT (host:443), which also names the destination.
 */
export function urlDoc(target: string, method?: string): { url: EcsDoc; destination?: EcsDoc } {
  const url: EcsDoc = { original: target };
  if (method === 'CONNECT' || /^[^/?#:]+:\d+$/.test(target) || /^\[[^\]]+\]:\d+$/.test(target)) {
    const { host, port } = hostPort(target);
    url.domain = host;
    if (port !== undefined) url.port = port;
    const destination: EcsDoc = isIp(host) ? { address: host, ip: host } : { address: host, domain: host };
    if (port !== undefined) destination.port = port;
    return { url, destination };
  }
  const abs = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)(.*)$/.exec(target);
  if (abs) {
    url.full = target;
    url.scheme = abs[1]!.toLowerCase();
    const { host, port } = hostPort(abs[2]!);
    if (host) url.domain = host;
    if (port !== undefined) url.port = port;
    pathParts(url, abs[3]!);
    return { url };
  }
  if (target.startsWith('/')) pathParts(url, target);
  return { url };
}

/** Sets source.address, and source.ip or source.domain (a reverse-lookup name), and the port. */
export function setSource(doc: EcsDoc, address: string | undefined, port?: string | number): void {
  if (!address || address === '-') return;
  const src: EcsDoc = { address };
  if (isIp(address)) src.ip = address;
  else src.domain = address;
  const p = port === undefined ? NaN : Number(port);
  if (Number.isInteger(p) && p >= 0 && p <= 65535) src.port = p;
  doc.source = { ...(doc.source as EcsDoc | undefined), ...src };
}

/** event.* for a web access: success below 400, failure from 400, nothing without a status. */
export function webEvent(status: number | undefined, action?: string): EcsDoc {
  const event: EcsDoc = { kind: 'event', category: ['web'], type: ['access'] };
  if (action) event.action = action;
  if (status !== undefined && status > 0) event.outcome = status < 400 ? 'success' : 'failure';
  return event;
}

/** A numeric field, or undefined for "-" and other non-numbers. */
export function int(v: string | undefined): number | undefined {
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined;
  return Number(v);
}

/** http.* from a request line, status and byte count (bytesField names where the byte count goes). */
export function httpDoc(req: RequestLine, status: number | undefined, bytes: number | undefined, bytesField: 'bytes' | 'body.bytes'): EcsDoc {
  const http: EcsDoc = {};
  if (req.method) http.request = { method: req.method.toUpperCase() };
  if (req.version) http.version = req.version;
  const response: EcsDoc = {};
  if (status !== undefined && status > 0) response.status_code = status;
  if (bytes !== undefined) {
    if (bytesField === 'bytes') response.bytes = bytes;
    else response.body = { bytes };
  }
  if (Object.keys(response).length) http.response = response;
  return http;
}

/** related.hosts from url.domain / destination.domain. */
export function relatedHosts(doc: EcsDoc): void {
  const hosts = new Set<string>();
  const url = doc.url as EcsDoc | undefined;
  const dst = doc.destination as EcsDoc | undefined;
  for (const h of [url?.domain, dst?.domain, (doc.source as EcsDoc | undefined)?.domain]) if (typeof h === 'string' && h) hosts.add(h);
  if (hosts.size) doc.related = { ...(doc.related as EcsDoc | undefined), hosts: [...hosts] };
}

/** Tags a web/proxy access: B4 + P5a. */
export function webEvidence(doc: EcsDoc): EcsDoc {
  return evidence(doc, ['B4'], ['P5a']);
}
