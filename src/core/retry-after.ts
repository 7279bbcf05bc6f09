// Retry-After as HTTP peers send it (seconds, or an HTTP date), for every client Vigil has: the
// outputs and the alert webhooks.

/** Seconds or an HTTP date, as Retry-After carries it; in ms from now, never negative. */
export function parseRetryAfter(v: string | string[] | null | undefined, now = Date.now()): number | undefined {
  const s = (Array.isArray(v) ? v[0] : v)?.trim();
  if (!s) return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const at = Date.parse(s);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}
