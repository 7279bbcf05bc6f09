// What parsing costs: the process stage's rate (decode, syslog header, parser registry, normalise) over
// the benchmark's corpus, with every parser registered versus the generic JSON pass-through alone.
// Issue budget: registering every parser may cost the ingest at most 25% of its rate; this isolates
// the process stage, which is where parsers run. Prints a table and writes bench/results/parser-cost-*.json.
//   node --import tsx bench/parser-cost.bench.ts   (part of npm run bench; BENCH_PARSER_EVENTS=N)
import { writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Pools, Corpus } from './corpus.js';
import { processEntry } from '../src/process/pipeline.js';
import { ParserRegistry } from '../src/process/parsers/registry.js';
import { PARSERS } from '../src/process/parsers/registry.generated.js';
import { Classifier } from '../src/process/classify.js';
import { loadCatalog } from '../src/catalog/load.js';
import { existsSync } from 'node:fs';
import { RuleSet } from '../src/detect/rule-set.js';
import { buildCorrelator } from '../src/detect/correlate.js';
import { Detector } from '../src/detect/detector.js';
import { FirstSeen } from '../src/detect/first-seen.js';

const N = Number(process.env.BENCH_PARSER_EVENTS ?? 200_000);
const ROOT = resolve(import.meta.dirname, '..');
const pools = new Pools(42);
const corpus = new Corpus(pools, 7, 'syslog');
const now = Date.now();
const lines = Array.from({ length: N }, (_, i) => Buffer.from(corpus.line(now - 86_400_000 + (i * 86_400_000) / N)));

// Lines no parser claims (programs nobody parses, text without a known signature): what detection
// alone costs, apart from the richer documents that recognised lines become.
const unclaimed = Array.from({ length: N }, (_, i) =>
  Buffer.from(`<14>Nov 23 08:${String(i % 60).padStart(2, '0')}:00 app${i % 40} myservice[${1000 + (i % 900)}]: request ${i} handled in ${i % 97} ms for tenant t${i % 13} status=ok`),
);

function rate(registry: ParserRegistry, input: Buffer[] = lines, classifier?: Classifier, detector?: () => Detector): { eventsPerSec: number; parsedShare: number; byParser: Record<string, number> } {
  const byParser: Record<string, number> = {};
  let parsed = 0;
  const run = (count: boolean) => {
    const detect = detector?.();
    const t0 = performance.now();
    for (let off = 0; off < N; off += 1000) {
      const evs = processEntry(
        { offset: off, size: 0, entry: { meta: { tenant: 'bench', input: 'bench', codec: 'text', received: now }, records: input.slice(off, off + 1000) } },
        classifier ? { registry, classifier } : { registry },
      );
      detect?.run(evs);
      if (count) {
        for (const e of evs) {
          const p = (e.doc as any).vigil?.parse;
          if ((p?.status === 'parsed' || p?.status === 'partial') && p.parser !== 'json') {
            parsed++;
            byParser[p.parser] = (byParser[p.parser] ?? 0) + 1;
          }
        }
      }
    }
    return performance.now() - t0;
  };
  run(true); // warm-up, and the parse shares
  const ms = Math.min(run(false), run(false), run(false));
  return { eventsPerSec: Math.round(N / (ms / 1000)), parsedShare: parsed / N, byParser };
}

const generic = rate(new ParserRegistry(PARSERS.filter((p) => p.id === 'json')));
const all = rate(new ParserRegistry());
const loss = 1 - all.eventsPerSec / generic.eventsPerSec;
// Classification against the built-in catalogue, on top of every parser (what the server runs).
const classified = rate(new ParserRegistry(), lines, new Classifier(loadCatalog()));
const classifyLoss = 1 - classified.eventsPerSec / all.eventsPerSec;
// Detection on top (what the server runs after classification): the built-in pack alone, and with the
// SigmaHQ rule set from the shared corpus (about 2,800 rules compile) when it is there.
const CORPUS = resolve(process.env.VIGIL_CORPUS ?? join(ROOT, '../shared/corpus'));
const sigmaPaths = existsSync(join(CORPUS, 'sigma/rules')) ? [join(CORPUS, 'sigma/rules'), join(CORPUS, 'sigma/rules-threat-hunting')] : [];
function detectorWith(paths: string[]): { make: () => Detector; rules: number } {
  const rules = RuleSet.load({ paths, builtin: true, disable: [], placeholders: { approved_images: [] } });
  return {
    rules: rules.compiled.length,
    make: () => new Detector({ rules, correlator: buildCorrelator(rules).engine, dedupWindowMs: 900_000, destinations: [], firstSeen: new FirstSeen(24 * 3_600_000) }),
  };
}
const pack = detectorWith([]);
const withPack = rate(new ParserRegistry(), lines, new Classifier(loadCatalog()), pack.make);
const sigma = sigmaPaths.length ? detectorWith(sigmaPaths) : null;
const withSigma = sigma ? rate(new ParserRegistry(), lines, new Classifier(loadCatalog()), sigma.make) : null;
const detectGeneric = rate(new ParserRegistry(PARSERS.filter((p) => p.id === 'json')), unclaimed);
const detectAll = rate(new ParserRegistry(), unclaimed);
const detectionLoss = 1 - detectAll.eventsPerSec / detectGeneric.eventsPerSec;
const result = {
  when: new Date().toISOString(),
  events: N,
  parsers: PARSERS.length,
  genericOnly: generic,
  allParsers: all,
  rateLoss: Number(loss.toFixed(3)),
  allParsersClassified: classified.eventsPerSec,
  withBuiltinRules: { rules: pack.rules, eventsPerSec: withPack.eventsPerSec },
  withSigmaHQRules: sigma && withSigma ? { rules: sigma.rules, eventsPerSec: withSigma.eventsPerSec, shareOfRateWithoutRules: Number((withSigma.eventsPerSec / classified.eventsPerSec).toFixed(3)) } : null,
  classifyRateLoss: Number(classifyLoss.toFixed(3)),
  unclaimedLines: { genericOnly: detectGeneric.eventsPerSec, allParsers: detectAll.eventsPerSec, rateLoss: Number(detectionLoss.toFixed(3)) },
  budget: 0.25,
};
console.log(`\n## Parser cost (process stage, ${N.toLocaleString('en')} benchmark lines)\n`);
console.log('| registry | events/s | parsed by a format parser |');
console.log('|---|---|---|');
console.log(`| generic JSON only | ${generic.eventsPerSec.toLocaleString('en')} | ${(generic.parsedShare * 100).toFixed(1)}% |`);
console.log(`| all ${PARSERS.length} parsers | ${all.eventsPerSec.toLocaleString('en')} | ${(all.parsedShare * 100).toFixed(1)}% |`);
console.log(`| all ${PARSERS.length} parsers + catalogue classification | ${classified.eventsPerSec.toLocaleString('en')} | ${(classified.parsedShare * 100).toFixed(1)}% |`);
console.log(`| ... + detection, built-in pack (${pack.rules} rules + correlations) | ${withPack.eventsPerSec.toLocaleString('en')} | – |`);
if (sigma && withSigma) console.log(`| ... + detection, SigmaHQ + built-in (${sigma.rules.toLocaleString('en')} rules) | ${withSigma.eventsPerSec.toLocaleString('en')} | – |`);
console.log(`| unclaimed lines, generic JSON only | ${detectGeneric.eventsPerSec.toLocaleString('en')} | – |`);
console.log(`| unclaimed lines, all ${PARSERS.length} parsers (detection only) | ${detectAll.eventsPerSec.toLocaleString('en')} | ${(detectAll.parsedShare * 100).toFixed(1)}% |`);
console.log(`\nprocess-stage rate lost to parsing: ${(loss * 100).toFixed(1)}% (mapping included); to detection alone: ${(detectionLoss * 100).toFixed(1)}% (budget for the whole ingest: 25%)`);
console.log(`classification (every catalogue selector, B1.5 sequence) costs the process stage ${(classifyLoss * 100).toFixed(1)}% on top of parsing`);
if (sigma && withSigma) console.log(`with ${sigma.rules.toLocaleString('en')} Sigma rules loaded the process stage keeps ${((withSigma.eventsPerSec / classified.eventsPerSec) * 100).toFixed(1)}% of its rate without rules (target: above 50%)`);
console.log('parsed by:', Object.entries(all.byParser).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', '));
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/parser-cost-latest.json'), JSON.stringify(result, null, 2));
