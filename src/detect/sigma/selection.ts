// One search identifier's value -> a tree node. A mapping is the AND of its `field|modifiers: values`
// entries; a list of mappings is their OR; a list of plain values is a keyword search (any of them
// anywhere in the raw event), and a `'|all'` key makes it all of them. Logsource conditions from the
// mapping are written the same way and compiled here too.
import { RuleInvalid, RuleUnsupported } from './errors.js';
import { compileItem, type FieldResolver } from './modifiers.js';
import type { Node } from './tree.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Errors name the identifier (and key) they come from, so they can be traced to a line. */
function within<T>(name: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RuleInvalid) throw new RuleInvalid(`'${name}': ${e.reason}`, e.key ?? name);
    if (e instanceof RuleUnsupported) throw new RuleUnsupported(e.reason, e.key ?? name);
    throw e;
  }
}

function mapNode(map: Record<string, unknown>, r: FieldResolver): Node {
  const keys = Object.keys(map);
  if (!keys.length) throw new RuleInvalid('an empty mapping');
  const xs: Node[] = keys.map((key) => {
    const [field = '', ...mods] = key.split('|');
    const value = map[key];
    if (Array.isArray(value) && value.some((v) => typeof v === 'object' && v !== null)) throw new RuleInvalid(`'${key}': values must be plain, not lists or mappings`);
    if (isRecord(value)) throw new RuleInvalid(`'${key}': a value must be plain or a list, not a mapping`);
    return { k: 'item', item: compileItem(key, field, mods, value, r) };
  });
  return xs.length === 1 ? xs[0]! : { k: 'and', xs };
}

export function compileSelection(name: string, value: unknown, r: FieldResolver): Node {
  return within(name, () => ({ k: 'sel', name, x: selectionBody(value, r) }));
}

function selectionBody(value: unknown, r: FieldResolver): Node {
  if (isRecord(value)) return mapNode(value, r);
  if (Array.isArray(value)) {
    if (!value.length) throw new RuleInvalid('an empty list');
    const maps = value.filter(isRecord);
    const plain = value.filter((v) => !isRecord(v));
    if (plain.some((v) => Array.isArray(v))) throw new RuleInvalid('a list inside a list');
    const xs: Node[] = maps.map((m) => mapNode(m, r));
    if (plain.length) xs.push({ k: 'item', item: compileItem('keywords', '', [], plain, r) });
    return xs.length === 1 ? xs[0]! : { k: 'or', xs };
  }
  // A single keyword.
  return { k: 'item', item: compileItem('keywords', '', [], value, r) };
}
