// Sigma timespans: a positive count and one lower-case unit (spec: s, m, h, d; `w` as pySigma also reads
// it). Months and years are refused because they are not fixed lengths and a window must be one.

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds, or the reason the text is not a timespan. */
export function parseTimespan(v: unknown): number | { reason: string } {
  if (typeof v !== 'string') return { reason: `timespan must be a string like 5m, 1h or 1d (got ${JSON.stringify(v)})` };
  const m = /^([0-9]+)([a-zA-Z])$/.exec(v.trim());
  if (!m) return { reason: `timespan '${v}' is not a number followed by one unit (s, m, h, d, w)` };
  const count = Number(m[1]);
  const unit = m[2]!;
  if (unit === 'M' || unit === 'y') return { reason: `timespan '${v}': months and years are not fixed durations; use days` };
  const ms = UNIT_MS[unit];
  if (ms === undefined) return { reason: `timespan '${v}' has unknown unit '${unit}' (s, m, h, d, w)` };
  if (count <= 0) return { reason: `timespan '${v}' must be greater than zero` };
  return count * ms;
}
