// Small ECS building blocks shared by parsers: MAC addresses, key=value text, IP checks, times, and
// the requirement/principle tags an event evidences.
import { isIP } from 'node:net';
import type { EcsDoc } from '../../core/event.js';
import { isPrincipleId, isRequirementId } from '../../core/requirement-ids.js';

/** ECS form of a MAC address: upper-case hex pairs joined by "-" (AA-BB-CC-DD-EE-FF). Null if not a MAC. */
export function normaliseMac(mac: string): string | null {
  const hex = mac.replace(/[^0-9a-fA-F]/g, '');
  if (hex.length !== 12 || !/^[0-9a-fA-F:.\- ]+$/.test(mac)) return null;
  return hex.toUpperCase().match(/../g)!.join('-');
}

export function isIp(s: string | undefined): s is string {
  return typeof s === 'string' && isIP(s) !== 0;
}

/**
 * Parses `key=value` pairs separated by blanks (or `sep`); values may be double-quoted with \" escapes.
 * Keys keep their case. Text that is not a pair is skipped.
 */
export function parseKv(text: string, sep = ' '): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && (text[i] === sep || text[i] === ' ')) i++;
    const eq = text.indexOf('=', i);
    if (eq < 0) break;
    const key = text.slice(i, eq).trim();
    let j = eq + 1;
    let value = '';
    if (text[j] === '"') {
      j++;
      while (j < n && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < n) j++;
        value += text[j++];
      }
      j++;
    } else {
      const end = text.indexOf(sep, j);
      value = text.slice(j, end < 0 ? n : end);
      j = end < 0 ? n : end;
    }
    if (key && !key.includes(' ')) out[key] = value;
    i = j;
  }
  return out;
}

/** An ISO string for a time, or undefined when it does not parse. */
export function isoTime(v: string | number | undefined): string | undefined {
  if (v === undefined || v === '') return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/**
 * Tags an event with the requirement and principle IDs (CONTRACT.md 6) it evidences. Unknown IDs throw:
 * a typo must fail the parser's tests, not silently drop coverage.
 */
export function evidence(doc: EcsDoc, requirements: readonly string[], principles: readonly string[]): EcsDoc {
  for (const r of requirements) if (!isRequirementId(r)) throw new Error(`unknown requirement id ${r}`);
  for (const p of principles) if (!isPrincipleId(p)) throw new Error(`unknown principle id ${p}`);
  const vigil = (doc.vigil ??= {}) as EcsDoc;
  if (requirements.length) vigil.requirements = [...requirements];
  if (principles.length) vigil.principles = [...principles];
  return doc;
}
