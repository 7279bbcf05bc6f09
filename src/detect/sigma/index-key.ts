// The one spelling of a value both pre-filters compare by: lower-cased, and decimal numbers canonical
// ('4625', ' 4625' and 4625 alike), matching how the number matcher reads event values.
const DECIMAL = /^\s*-?\d+(\.\d+)?\s*$/;

export function indexKey(s: string): string {
  return DECIMAL.test(s) ? String(Number(s)) : s.toLowerCase();
}
