// `?filter_path=`: the response keeps only the listed paths. Beats ask every _bulk for
// `errors,items.*.error,items.*.status`, which keeps the answer to a big batch small.
// Supported: comma-separated dotted paths, `*` inside a segment, `**` for any depth; arrays are
// walked through. Exclusions (`-path`) are ignored. A response with nothing left is `{}`.

type Pattern = string[];

function segmentMatcher(seg: string): (key: string) => boolean {
  if (!seg.includes('*')) return (key) => key === seg;
  const re = new RegExp('^' + seg.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return (key) => re.test(key);
}

/** The patterns that continue below `key`, for each pattern that matches it. */
function descend(patterns: Pattern[], key: string): Pattern[] {
  const out: Pattern[] = [];
  for (const p of patterns) {
    const [head, ...rest] = p;
    if (head === undefined) continue;
    if (head === '**') {
      out.push(p); // ** may swallow this key too
      if (rest.length && segmentMatcher(rest[0]!)(key)) out.push(rest.slice(1));
      continue;
    }
    if (segmentMatcher(head)(key)) out.push(rest);
  }
  return out;
}

function apply(value: unknown, patterns: Pattern[]): unknown {
  if (patterns.some((p) => p.length === 0)) return value;
  if (Array.isArray(value)) {
    const kept = value.map((v) => apply(v, patterns)).filter((v) => v !== undefined);
    return kept.length ? kept : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const below = descend(patterns, k);
    if (below.length === 0) continue;
    const kept = apply(v, below);
    if (kept !== undefined) out[k] = kept;
  }
  return Object.keys(out).length ? out : undefined;
}

export function filterPath(body: Record<string, unknown>, filter: string | undefined): Record<string, unknown> {
  if (!filter) return body;
  const patterns = filter
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('-'))
    .map((s) => s.split('.'));
  if (patterns.length === 0) return body;
  return (apply(body, patterns) as Record<string, unknown> | undefined) ?? {};
}
