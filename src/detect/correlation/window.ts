// Picks the window a correlation type keeps per group. Each type's window lives in its own file.
import { EventCountWindow } from './event-count-window.js';
import { NumericWindow } from './numeric-window.js';
import { OrderedWindow } from './ordered-window.js';
import type { WindowState } from './sample.js';
import { TemporalWindow } from './temporal-window.js';
import type { CorrelationRule } from './types.js';
import { ValueCountWindow } from './value-count-window.js';

export interface WindowLimits {
  /** Items one window keeps at most (events, distinct values, or occurrences per rule). */
  maxItems: number;
}

export function createWindow(rule: CorrelationRule, limits: WindowLimits, saved?: unknown): WindowState {
  const c = rule.correlation;
  switch (c.type) {
    case 'event_count':
      return new EventCountWindow(limits.maxItems, c.condition, saved);
    case 'value_count':
      return new ValueCountWindow(limits.maxItems, c.condition, saved);
    case 'temporal':
      return new TemporalWindow(c.rules.length, saved);
    case 'temporal_ordered':
      return new OrderedWindow(c.rules.length, limits.maxItems, saved);
    case 'value_sum':
      return new NumericWindow(limits.maxItems, { kind: 'sum' }, saved);
    case 'value_avg':
      return new NumericWindow(limits.maxItems, { kind: 'avg' }, saved);
    case 'value_percentile':
      return new NumericWindow(limits.maxItems, { kind: 'percentile', p: c.condition.percentile ?? 50 }, saved);
    case 'value_median':
      return new NumericWindow(limits.maxItems, { kind: 'percentile', p: 50 }, saved);
  }
}

