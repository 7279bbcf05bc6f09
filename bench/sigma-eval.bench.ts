// What evaluating the SigmaHQ rule set costs per event: every rule compiled with Vigil's ECS mapping and
// indexed, run over the parsers' golden events repeated to ~50k (the events Vigil really emits). Reads
// the shared corpus in place (VIGIL_CORPUS overrides ../shared/corpus).
//   node --import tsx bench/sigma-eval.bench.ts [events] [--naive]
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EcsDoc } from '../src/core/event.js';
import { compileRules } from '../src/detect/sigma/compile.js';
import { loadRuleFiles } from '../src/detect/sigma/load.js';
import { RuleIndex } from '../src/detect/sigma/rule-index.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const corpus = resolve(process.env.VIGIL_CORPUS ?? join(ROOT, '../shared/corpus'));
const target = Number(process.argv[2] ?? 50_000);
const naive = process.argv.includes('--naive');

function goldenEvents(): EcsDoc[] {
  const dir = join(ROOT, 'src/process/parsers');
  const out: EcsDoc[] = [];
  for (const parser of readdirSync(dir)) {
    const fx = join(dir, parser, 'fixtures');
    if (!existsSync(fx)) continue;
    for (const f of readdirSync(fx)) if (f.endsWith('.ecs.json')) out.push(...(JSON.parse(readFileSync(join(fx, f), 'utf8')) as EcsDoc[]));
  }
  return out;
}

const t0 = performance.now();
const loaded = loadRuleFiles([join(corpus, 'sigma/rules'), join(corpus, 'sigma/rules-threat-hunting')]);
const t1 = performance.now();
const { compiled } = compileRules(loaded.rules);
const t2 = performance.now();
const index = new RuleIndex(compiled);
const t3 = performance.now();
console.log(`rules: ${loaded.rules.length} loaded in ${(t1 - t0).toFixed(0)} ms, ${compiled.length} compiled in ${(t2 - t1).toFixed(0)} ms, indexed in ${(t3 - t2).toFixed(0)} ms`);
console.log('index:', index.stats());

const base = goldenEvents();
const events: EcsDoc[] = [];
while (events.length < target) events.push(...base);
events.length = target;

// Warm up, then time.
const run = (): number => {
  let hits = 0;
  if (naive) for (const e of events) for (const r of compiled) hits += r.match(e) ? 1 : 0;
  else for (const e of events) hits += index.match(e).length;
  return hits;
};
run();
const t4 = performance.now();
const hits = run();
const secs = (performance.now() - t4) / 1000;
console.log(`${naive ? 'naive' : 'indexed'}: ${events.length} events (${base.length} distinct golden events) in ${secs.toFixed(2)} s = ${Math.round(events.length / secs)} events/s, ${((secs * 1e6) / events.length).toFixed(1)} µs/event, ${hits} matches`);
