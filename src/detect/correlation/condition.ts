// Evaluating a correlation condition, and how much history a condition needs. The second matters for
// memory: "at least N in the window" is decided exactly by keeping only the newest N+1 items, because
// once that many are in the window every bound is settled.
import { CONDITION_OPS, type CorrelationCondition } from './types.js';

export function meets(c: CorrelationCondition, v: number): boolean {
  if (c.gt !== undefined && !(v > c.gt)) return false;
  if (c.gte !== undefined && !(v >= c.gte)) return false;
  if (c.lt !== undefined && !(v < c.lt)) return false;
  if (c.lte !== undefined && !(v <= c.lte)) return false;
  if (c.eq !== undefined && !(v === c.eq)) return false;
  return true;
}

/** How many items a count needs to see to decide the condition exactly: one past the largest bound. */
export function countNeeded(c: CorrelationCondition): number {
  let max = 0;
  for (const op of CONDITION_OPS) {
    const b = c[op];
    if (b !== undefined && b > max) max = b;
  }
  return Math.floor(max) + 1;
}

/** Conditions are evaluated as events arrive, so one with only upper bounds holds on a group's first event. */
export function onlyUpperBounds(c: CorrelationCondition): boolean {
  return c.gt === undefined && c.gte === undefined && c.eq === undefined && (c.lt !== undefined || c.lte !== undefined);
}

export function describe(c: CorrelationCondition): string {
  return CONDITION_OPS.filter((op) => c[op] !== undefined)
    .map((op) => `${op} ${c[op]}`)
    .join(' and ');
}
