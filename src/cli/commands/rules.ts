// `vigil rules validate PATH` and `vigil rules test RULE_FILE --events SAMPLES`: both run locally, with
// the same parsers, catalogue and rule engine as the server, so a rule can be checked before it is
// deployed. (`vigil rules list` asks the running server.)
import { readFileSync } from 'node:fs';
import type { EcsDoc } from '../../core/event.js';
import { loadCatalog } from '../../catalog/load.js';
import { Classifier } from '../../process/classify.js';
import { processEntry } from '../../process/pipeline.js';
import { ParserRegistry } from '../../process/parsers/registry.js';
import { RuleSet } from '../../detect/rule-set.js';
import { Detector } from '../../detect/detector.js';
import { buildCorrelator } from '../../detect/correlate.js';

export interface ValidateReport {
  rules: number;
  correlations: number;
  problems: { file: string; line: number; id?: string | undefined; title?: string | undefined; reason: string; kind: string }[];
}

export function validateRules(paths: string[], placeholders: Record<string, string[]> = {}): ValidateReport {
  const rs = RuleSet.load({ paths, builtin: false, disable: [], placeholders });
  const corr = buildCorrelator(rs);
  return {
    rules: rs.compiled.length,
    correlations: rs.correlations.length - corr.problems.length,
    problems: [...rs.problems, ...corr.problems.map((p) => ({ ...p, kind: 'invalid' }))],
  };
}

export interface TestReport {
  events: { index: number; id: string; matches: { rule: string; title: string; selections: { name: string; matched: boolean }[] }[] }[];
  alerts: { rule: string; title: string; kind: string; level: string; group_by: Record<string, string>; count: number; event_ids: string[] }[];
  problems: ValidateReport['problems'];
}

/**
 * Runs sample events (NDJSON, or text lines as a log file holds them) through parsing and
 * classification, then the rules in `ruleFile` (with the built-in pack's base rules available to its
 * correlations when `withBuiltin`), and reports which events match, why, and which alerts and
 * correlations would fire.
 */
export function testRules(ruleFile: string, samplesFile: string, opts: { withBuiltin?: boolean; placeholders?: Record<string, string[]> } = {}): TestReport {
  const rs = RuleSet.load({ paths: [ruleFile], builtin: opts.withBuiltin ?? false, disable: [], placeholders: opts.placeholders ?? {} });
  const corr = buildCorrelator(rs);
  const registry = new ParserRegistry();
  const classifier = new Classifier(loadCatalog());
  const lines = readFileSync(samplesFile, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const received = Date.now();
  const events = lines.flatMap((line, i) => {
    const codec = line.trimStart().startsWith('{') ? 'json' : 'text';
    return processEntry({ offset: i, size: 0, entry: { meta: { tenant: 'test', input: 'cli', codec, received }, records: [Buffer.from(line)] } }, { registry, classifier });
  });
  const report: TestReport = { events: [], alerts: [], problems: [...rs.problems, ...corr.problems.map((p) => ({ ...p, kind: 'invalid' }))] };
  events.forEach((e, index) => {
    const matches = rs.compiled
      .map((c) => ({ c, selections: c.explain(e.doc as EcsDoc) }))
      .filter(({ c }) => c.match(e.doc as EcsDoc))
      .map(({ c, selections }) => ({ rule: c.rule.id, title: c.rule.title, selections }));
    report.events.push({ index: index + 1, id: e.id.toString(), matches });
  });
  const detector = new Detector({ rules: rs, correlator: corr.engine, dedupWindowMs: 0, destinations: [] });
  const out = detector.run(events);
  report.alerts = out.alerts.map((a) => ({ rule: a.rule_id, title: a.rule_title, kind: a.rule_kind, level: a.level, group_by: a.group_by, count: a.count, event_ids: a.event_ids }));
  return report;
}
