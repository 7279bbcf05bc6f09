// Query-string parameters every read endpoint shares, checked once: a time window and bounded integers.
import { VigilError } from '../core/errors.js';
import { parseTime } from '../ql/time.js';

/** `from` and `to` (ISO 8601, epoch ms or relative: -24h, now); `from` must be before `to`. */
export function timeWindow(q: { from?: string | undefined; to?: string | undefined }, defaultFrom: string, now = new Date()): { from: Date; to: Date; now: Date } {
  const from = parseTime(q.from ?? defaultFrom, now);
  const to = parseTime(q.to ?? 'now', now);
  if (from.getTime() >= to.getTime()) throw new VigilError('bad_time', '"from" must be before "to"', { parameter: 'from' });
  return { from, to, now };
}

/** An integer parameter in [min, max], or its default when absent. */
export function intParam(value: string | undefined, name: string, min: number, max: number, dflt: number): number {
  const n = value === undefined ? dflt : Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new VigilError('bad_request', `${name} must be an integer from ${min} to ${max}`, { parameter: name });
  return n;
}
