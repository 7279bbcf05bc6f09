// Why a rule did or did not match an event, for `vigil rules test`: the logsource condition, each search
// identifier, and under it each `field|modifiers` entry with the values the event had there.
import type { EcsDoc } from '../../core/event.js';
import { items, LOGSOURCE, type CompiledSigmaRule } from './compile.js';
import { FIELDS } from './field-values.js';
import { describeMatcher } from './matchers.js';
import { buildTest, itemTest, type Node } from './tree.js';

export interface ItemExplanation {
  /** The entry as written (`CommandLine|contains|all`), or 'keywords'. */
  key: string;
  /** The event fields read, in order of preference. */
  fields: string[];
  /** What the event holds there (each value cut to 200 characters). */
  values: string[];
  /** The rule's values, as matchers. */
  expects: string[];
  matched: boolean;
}

export interface SelectionExplanation {
  name: string;
  matched: boolean;
  items: ItemExplanation[];
}

export interface Explanation {
  id: string;
  title: string;
  matched: boolean;
  /** Whether the event is of the rule's logsource; undefined when the mapping adds no condition. */
  logsource: boolean | undefined;
  selections: SelectionExplanation[];
}

export function explain(rule: CompiledSigmaRule, doc: EcsDoc): Explanation {
  const ev = FIELDS.begin(doc);
  const selection = (name: string, node: Node): SelectionExplanation => ({
    name,
    matched: buildTest(node)(ev),
    items: items(node).map((it) => ({
      key: it.key,
      fields: it.field.spec.paths,
      values: FIELDS.get(ev, it.field).strs.map((s) => (s.length > 200 ? `${s.slice(0, 200)}…` : s)),
      expects: it.groups.flat().map(describeMatcher),
      matched: itemTest(it)(ev),
    })),
  });
  return {
    id: rule.rule.id,
    title: rule.rule.title,
    matched: rule.match(doc),
    logsource: rule.logsource ? buildTest(rule.logsource)(ev) : undefined,
    selections: [...(rule.logsource ? [selection(LOGSOURCE, rule.logsource)] : []), ...rule.selections.map((s) => selection(s.name, s.node))],
  };
}
