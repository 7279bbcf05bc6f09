// The push body of Loki's API, normalised: what the JSON and the protobuf forms both say (loki-push-json.ts,
// loki-push-protobuf.ts), so that an input reads one shape and an output writes one.
import { VigilError } from '../core/errors.js';
import { labelSet, type LabelSet } from './loki-labels.js';
import { INT64_MAX, INT64_MIN, malformed } from './protobuf-strict.js';

export interface LokiEntry {
  /** Unix epoch nanoseconds; 0n when the sender gave no time. */
  ns: bigint;
  line: string;
  /** Loki's structured metadata (per-entry name/value pairs); absent when there is none. */
  metadata?: LabelSet;
}

export interface LokiStream {
  /** The stream's labels, without empty values (no prototype: any name is a plain key). */
  labels: LabelSet;
  entries: LokiEntry[];
}

export const NS_PER_SECOND = 1_000_000_000n;

/** google.protobuf.Timestamp's range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z. */
const MIN_SECONDS = -62_135_596_800n;
const MAX_SECONDS = 253_402_300_799n;

export { malformed };

/** Runs `fn`, prefixing a bad_request it throws with the element it is about (streams[2].labels: ...). */
export function withWhere<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof VigilError && err.code === 'bad_request') throw new VigilError('bad_request', `${where}: ${err.message}`, { ...err.details, at: where });
    throw err;
  }
}

/** Nanoseconds from a decimal string, as Loki's JSON carries them. */
export function nsFromDecimal(text: string, where: string): bigint {
  if (!/^-?\d{1,19}$/.test(text)) throw malformed(where, `the timestamp must be Unix epoch nanoseconds as a decimal string, got ${JSON.stringify(text.slice(0, 40))}`);
  const ns = BigInt(text);
  if (ns < INT64_MIN || ns > INT64_MAX) throw malformed(where, `the timestamp ${text} is outside the int64 range of Loki timestamps`);
  return ns;
}

/** Nanoseconds from a google.protobuf.Timestamp's seconds and nanos. */
export function nsFromTimestamp(seconds: bigint, nanos: number, where: string): bigint {
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) throw malformed(where, `the timestamp's seconds (${seconds}) are outside years 1 to 9999`);
  if (!Number.isInteger(nanos) || nanos < 0 || nanos >= 1e9) throw malformed(where, `the timestamp's nanos (${nanos}) must be 0 to 999999999`);
  return seconds * NS_PER_SECOND + BigInt(nanos);
}

/** seconds and nanos of a nanosecond time, nanos always 0..999999999 (floor division for times before 1970). */
export function timestampOf(ns: bigint): { seconds: bigint; nanos: number } {
  let seconds = ns / NS_PER_SECOND;
  let nanos = ns % NS_PER_SECOND;
  if (nanos < 0n) {
    seconds -= 1n;
    nanos += NS_PER_SECOND;
  }
  return { seconds, nanos: Number(nanos) };
}

/** RFC 3339 with up to nine fraction digits, the `ts` of Loki's legacy JSON (/api/prom/push). */
export function nsFromRfc3339(text: string, where: string): bigint {
  const m = /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/.exec(text);
  const ms = m ? Date.parse(`${m[1]!.replace(/[t ]/, 'T')}${m[3]!.toUpperCase()}`) : NaN;
  if (!m || Number.isNaN(ms)) throw malformed(where, `the timestamp must be RFC 3339 (2006-01-02T15:04:05.999999999Z07:00), got ${JSON.stringify(text.slice(0, 40))}`);
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0') || '0');
}

/** Adds a label, dropping empty values as Loki and Prometheus do; refuses an empty name. */
export function addLabel(into: LabelSet, name: string, value: string, where: string): void {
  if (name === '') throw malformed(where, 'a label name is empty');
  if (value !== '') into[name] = value;
}

export { labelSet };
