// Sigma's rule levels, in order, for "this level or above" filters (notification destinations, the API).
import { LEVELS } from '../config/schema.js';

export type Level = (typeof LEVELS)[number];
export { LEVELS };

export const LEVEL_RANK: Record<Level, number> = { informational: 0, low: 1, medium: 2, high: 3, critical: 4 };

export function isLevel(s: string): s is Level {
  return (LEVELS as readonly string[]).includes(s);
}
