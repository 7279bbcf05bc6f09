// Time expressions for `from` / `to` and for range values on time fields:
//   ISO 8601 date or date-time (no zone = UTC), epoch milliseconds, `now`, `-15m`, `now-1h`, `now+5m`.
// Relative units: s, m (minutes), h, d, w. Months and years are left out on purpose (variable length).
import { VigilError } from '../core/errors.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

// Units are case-sensitive so `-1M` (a month?) is refused rather than read as minutes.
const RELATIVE_RE = /^(?:[Nn][Oo][Ww])?([+-])([0-9]{1,12})([smhdw])$/;
const EPOCH_RE = /^[0-9]{1,16}$/;
const ISO_RE =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,9}))?)?)?(?:([Zz])|([+-])([0-9]{2})(?::?([0-9]{2}))?)?$/;

export function parseTime(input: string, now: Date): Date {
  const s = input.trim();
  const rel = RELATIVE_RE.exec(s);
  let t: number | null;
  if (s.toLowerCase() === 'now') t = now.getTime();
  else if (rel) t = now.getTime() + (rel[1] === '-' ? -1 : 1) * Number(rel[2]) * UNIT_MS[rel[3]!]!;
  else if (EPOCH_RE.test(s)) t = Number(s);
  else t = parseIso(s);
  if (t === null || !Number.isFinite(t) || Math.abs(t) > 8.64e15) throw badTime(input);
  return new Date(t);
}

function parseIso(s: string): number | null {
  const m = ISO_RE.exec(s);
  if (!m) return null;
  const [y, mo, d, h = 0, mi = 0, sec = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) => (x === undefined ? undefined : Number(x))) as number[];
  if ((m[8] ?? m[9]) !== undefined && m[4] === undefined) return null; // a zone needs a time of day
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > daysIn(y!, mo!) || h > 23 || mi > 59 || sec > 59) return null;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  let offsetMin = 0;
  if (m[9]) {
    const oh = Number(m[10]);
    const om = m[11] ? Number(m[11]) : 0;
    if (oh > 23 || om > 59) return null;
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const date = new Date(0);
  date.setUTCFullYear(y!, mo! - 1, d!); // not Date.UTC: it maps years 0-99 to 1900-1999
  date.setUTCHours(h, mi, sec, ms);
  return date.getTime() - offsetMin * 60_000;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS[month - 1]!;
}

function badTime(input: string): VigilError {
  const shown = input.length > 80 ? input.slice(0, 80) + '…' : input;
  return new VigilError(
    'bad_time',
    `cannot read "${shown}" as a time: use ISO 8601 (2024-05-01 or 2024-05-01T12:00:00Z), epoch milliseconds, now, or a relative time such as -15m, -24h, -7d, now-1h, now+5m`,
    { input: shown },
  );
}

const DURATION_RE = /^([0-9]{1,9})([smhdw])$/;

/** A duration such as `30s`, `15m`, `2h`, `7d` in milliseconds, or null when it is not one. */
export function parseDuration(input: string): number | null {
  const m = DURATION_RE.exec(input.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : null;
}
