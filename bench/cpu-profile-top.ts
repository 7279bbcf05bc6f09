// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time and the
// share of time per source area. Only the JS main thread is profiled: DuckDB's own worker threads do
// not appear, and time the main thread spent waiting on them shows as "(idle)".
//   node --import tsx bench/cpu-profile-top.ts FILE.cpuprofile [N]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  top: { fn: string; where: string; selfMs: number; pct: number }[];
  areas: { area: string; selfMs: number; pct: number }[];
}

/** Where a frame's code lives, coarse enough to see where the time goes. */
function areaOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const m = /\/src\/([^/]+)\//.exec(url);
  if (m && !url.includes('node_modules')) return `vigil src/${m[1]}`;
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return dep[1]!;
  if (url.startsWith('node:')) return 'node core';
  return url.replace(/^.*\//, '');
}

export function summariseProfile(file: string, n = 25): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  // Self time per node from the sample stream (timeDeltas are µs between samples).
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const byFn = new Map<string, { fn: string; where: string; us: number }>();
  const byArea = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const cf = byId.get(id)!.callFrame;
    total += us;
    // tsx emits each module on one line, so a line number of 1 says nothing: show the file only.
    const file = cf.url.replace(/^file:\/\/.*?\/(src|node_modules|bench)\//, '$1/');
    const where = cf.url ? (cf.lineNumber > 0 ? `${file}:${cf.lineNumber + 1}` : file) : '';
    const key = `${cf.functionName}|${where}`;
    const e = byFn.get(key) ?? { fn: cf.functionName || '(anonymous)', where, us: 0 };
    e.us += us;
    byFn.set(key, e);
    const area = areaOf(cf.url, cf.functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  }
  const pct = (us: number) => Math.round((1000 * us) / Math.max(1, total)) / 10;
  return {
    totalMs: Math.round(total / 1000),
    top: [...byFn.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, n)
      .map((e) => ({ fn: e.fn, where: e.where, selfMs: Math.round(e.us / 1000), pct: pct(e.us) })),
    areas: [...byArea.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([area, us]) => ({ area, selfMs: Math.round(us / 1000), pct: pct(us) })),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: cpu-profile-top.ts FILE.cpuprofile [N]\n');
    process.exit(2);
  }
  const s = summariseProfile(file, Number(process.argv[3] ?? 25));
  process.stdout.write(`main-thread samples: ${s.totalMs} ms\n\n| self ms | % | function | where |\n|---:|---:|---|---|\n`);
  for (const t of s.top) process.stdout.write(`| ${t.selfMs} | ${t.pct} | ${t.fn} | ${t.where} |\n`);
  process.stdout.write(`\n| self ms | % | area |\n|---:|---:|---|\n`);
  for (const a of s.areas) process.stdout.write(`| ${a.selfMs} | ${a.pct} | ${a.area} |\n`);
}
