// The correlation rule model as plain data (what parse.ts produces and the engine consumes), and the
// shapes the engine takes in and hands out. Nothing here evaluates anything.

export const CORRELATION_TYPES = [
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_percentile',
  'value_median',
] as const;
export type CorrelationType = (typeof CORRELATION_TYPES)[number];

/** The types whose condition reads a field of the events (`condition.field`). */
export const FIELD_TYPES: ReadonlySet<CorrelationType> = new Set(['value_count', 'value_sum', 'value_avg', 'value_percentile', 'value_median']);
/** The types that aggregate a numeric field. */
export const NUMERIC_TYPES: ReadonlySet<CorrelationType> = new Set(['value_sum', 'value_avg', 'value_percentile', 'value_median']);
export const TEMPORAL_TYPES: ReadonlySet<CorrelationType> = new Set(['temporal', 'temporal_ordered']);

export const CONDITION_OPS = ['gt', 'gte', 'lt', 'lte', 'eq'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

/** One or more bounds, all of which must hold (`gt: 100, lte: 200` is a range). */
export interface CorrelationCondition {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
  /** The field counted (value_count) or aggregated (value_sum, value_avg, value_percentile, value_median). */
  field?: string;
  /** value_percentile: which percentile of the field, 0–100. */
  percentile?: number;
}

export interface CorrelationSection {
  type: CorrelationType;
  /** The referenced rules, as written: ids or names of detection rules or of other correlations. */
  rules: string[];
  'group-by'?: string[];
  timespan: string;
  /** Temporal types without a written condition get `gte: <number of rules>` (all of them). */
  condition: CorrelationCondition;
  /** alias -> (rule reference -> that rule's event field). */
  aliases?: Record<string, Record<string, string>>;
  generate?: boolean;
}

export interface CorrelationRule {
  /** The written id; else the name; else `file:line` (with a warning), so every rule has a key. */
  id: string;
  name?: string;
  title: string;
  level: string;
  tags: string[];
  correlation: CorrelationSection;
  /** `timespan` in milliseconds. */
  timespanMs: number;
  file: string;
  line: number;
}

/** A document that failed to parse (errors) or parsed with something worth knowing (warnings). */
export interface CorrelationError {
  file: string;
  line: number;
  id?: string;
  title?: string;
  reason: string;
}

/** One detection-rule match, fed to the engine in event order. */
export interface MatchInput {
  tenant: string;
  ruleId: string;
  /** Informational: references are resolved to rule ids when the engine is built, and matches are routed by ruleId. */
  ruleName?: string;
  /** The event's @timestamp, ms. */
  time: number;
  eventId: string;
  /** The ECS document: group-by and condition fields are read from it by dotted path. */
  doc: Record<string, unknown>;
}

export interface CorrelationFiring {
  correlationId: string;
  title: string;
  level: string;
  tags: string[];
  tenant: string;
  groupBy: Record<string, string>;
  /** windowEnd − timespan. */
  windowStart: number;
  /** The newest event time in the group's window when it fired. */
  windowEnd: number;
  firstEventTime: number;
  lastEventTime: number;
  /** The most recent events behind the firing (at most 100), oldest first. */
  eventIds: string[];
  /** The count, sum, average or percentile that met the condition. */
  value: number;
}
