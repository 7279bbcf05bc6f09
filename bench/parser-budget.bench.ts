// Issue 3's budget, end to end: "detection must be cheap: the ingest benchmark must not lose more than
// 25% of its rate with every parser registered". Runs the real-server ingest benchmark
// (ingest-search.bench.ts) on the same stream three ways:
//   every parser   the default: all parsers registered, each line's parser found by detection
//   needed only    `parsers.only` = the parsers that claimed events in the run above: the same events
//                  parsed the same way, without the other parsers to rule out
//   json only      no format parser at all: lines stay raw (the cost of parsing, not of detection)
// The budget compares "every parser" with "needed only", since only detection differs between them.
// "json only" shows what parsing itself costs (richer documents, more to classify and store).
// Rounds alternate the configurations so drift on the machine hits each alike; the best round counts.
//   node --import tsx bench/parser-budget.bench.ts   (part of npm run bench)
//   BENCH_BUDGET_EVENTS (300,000), BENCH_BUDGET_ROUNDS (2)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { PARSERS } from '../src/process/parsers/registry.generated.js';

const ROOT = resolve(import.meta.dirname, '..');
const RESULTS = join(ROOT, 'bench/results');
const EVENTS = Number(process.env.BENCH_BUDGET_EVENTS ?? 300_000);
const ROUNDS = Number(process.env.BENCH_BUDGET_ROUNDS ?? 2);
const BUDGET = 0.25;

interface Run {
  eventsPerSec: number;
  serverCpuSeconds: number;
  parsedBy: Record<string, number>;
}

const work = mkdtempSync(join(os.tmpdir(), 'vigil-budget-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

function ingest(name: string, configExtra: string, round: number): Run {
  const file = join(work, `${name}-${round}.json`);
  process.stderr.write(`[budget] round ${round + 1}/${ROUNDS}: ${name}\n`);
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/ingest-search.bench.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, BENCH_EVENTS: String(EVENTS), BENCH_QUERY_RUNS: '1', BENCH_CONFIG_EXTRA: configExtra, BENCH_RESULT_FILE: file },
  });
  const r = JSON.parse(readFileSync(file, 'utf8')) as { phases: { eventsPerSecSearchable: number; serverCpuSeconds: number }[]; parsedBy: Record<string, number> };
  const p = r.phases[0]!;
  return { eventsPerSec: p.eventsPerSecSearchable, serverCpuSeconds: p.serverCpuSeconds, parsedBy: r.parsedBy };
}

const only = (ids: string[]) => `parsers:\n  only: [${ids.join(', ')}]\n`;
const runs: Record<'every' | 'needed' | 'json', Run[]> = { every: [], needed: [], json: [] };
let needed: string[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const every = ingest('every parser', '', round);
  runs.every.push(every);
  if (round === 0) needed = [...new Set(['json', ...Object.keys(every.parsedBy)])].sort();
  runs.needed.push(ingest('needed only', only(needed), round));
  runs.json.push(ingest('json only', only(['json']), round));
}

const best = (rs: Run[]) => rs.reduce((a, b) => (b.eventsPerSec > a.eventsPerSec ? b : a));
const every = best(runs.every);
const need = best(runs.needed);
const json = best(runs.json);
const detectionLoss = 1 - every.eventsPerSec / need.eventsPerSec;
const parsingLoss = 1 - every.eventsPerSec / json.eventsPerSec;
const registered = PARSERS.length;

const result = {
  when: new Date().toISOString(),
  events: EVENTS,
  rounds: ROUNDS,
  parsersRegistered: registered,
  neededParsers: needed,
  runs,
  best: { every, needed: need, json },
  detectionLoss: Math.round(detectionLoss * 1000) / 1000,
  parsingLoss: Math.round(parsingLoss * 1000) / 1000,
  budget: BUDGET,
  met: detectionLoss <= BUDGET,
};
mkdirSync(RESULTS, { recursive: true });
const stamp = result.when.replace(/[:.]/g, '-');
writeFileSync(join(RESULTS, `parser-budget-${stamp}.json`), JSON.stringify(result, null, 2) + '\n');
writeFileSync(join(RESULTS, 'parser-budget-latest.json'), JSON.stringify(result, null, 2) + '\n');

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const rows: [string, string, string, string][] = [
  [`every parser (${registered} registered)`, `${every.eventsPerSec.toLocaleString()} ev/s`, `${every.serverCpuSeconds} s`, ''],
  [`needed only (${needed.join(', ')})`, `${need.eventsPerSec.toLocaleString()} ev/s`, `${need.serverCpuSeconds} s`, ''],
  ['json only (no format parser)', `${json.eventsPerSec.toLocaleString()} ev/s`, `${json.serverCpuSeconds} s`, ''],
  ['loss from registering every parser (detection)', pct(detectionLoss), '', `budget ${pct(BUDGET)}: ${detectionLoss <= BUDGET ? 'ok' : 'MISSED'}`],
  ['loss from parsing at all (vs json only)', pct(parsingLoss), '', 'no budget: the work parsing buys'],
];
const head: [string, string, string, string] = ['ingest until searchable, ' + EVENTS.toLocaleString() + ' events', 'rate (best of ' + ROUNDS + ')', 'server CPU', ''];
const w = head.map((_, i) => Math.max(...[head, ...rows].map((r) => r[i]!.length)));
const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(w[i]!)).join(' | ') + ' |';
process.stdout.write(`\nParser budget (issue 3), end to end through the real server\n\n${[line(head), '|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|', ...rows.map(line)].join('\n')}\n\nresults: bench/results/parser-budget-${stamp}.json (and parser-budget-latest.json)\n`);
