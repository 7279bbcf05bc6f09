// OTLP AnyValues as JSON, for the envelopes the OTLP input writes: an attribute or a body keeps its
// structure, and a label (ECS labels are keywords) becomes text.
//   string, bool       as they are
//   int                a number when it is exact as one (|n| <= 2^53), else its decimal text
//   double             a number; NaN and ±Infinity, which JSON cannot hold, as their text
//   bytes              base64 text (as the Collector's pdata writes a bytes value as a string)
//   array              an array;  kvlist  an object (keys as given; no prototype, so any key is data)
//   empty              null
import type { EcsDoc, EcsValue } from '../../core/event.js';
import type { OtlpAnyValue, OtlpKeyValue } from '../../wire/otlp-logs.js';

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** An object with no prototype: a key such as `__proto__` from a sender is an ordinary key. */
export function plainDoc(): EcsDoc {
  return Object.create(null) as EcsDoc;
}

export function valueJson(v: OtlpAnyValue): EcsValue {
  switch (v.type) {
    case 'string':
    case 'bool':
      return v.value;
    case 'int':
      return v.value >= -SAFE && v.value <= SAFE ? Number(v.value) : v.value.toString();
    case 'double':
      return Number.isFinite(v.value) ? v.value : String(v.value);
    case 'bytes':
      return Buffer.from(v.value.buffer, v.value.byteOffset, v.value.byteLength).toString('base64');
    case 'array':
      return v.value.map(valueJson);
    case 'kvlist':
      return kvlistJson(v.value);
    case 'empty':
      return null;
  }
}

export function kvlistJson(list: readonly OtlpKeyValue[]): EcsDoc {
  const out = plainDoc();
  for (const kv of list) out[kv.key] = valueJson(kv.value);
  return out;
}

/** A value as text: scalars as their JSON text without quotes, structures as JSON. */
export function valueText(v: OtlpAnyValue): string {
  if (v.type === 'string') return v.value;
  const j = valueJson(v);
  return typeof j === 'string' ? j : JSON.stringify(j);
}

/** A label value: text, or a list of texts for an array; null for an empty value (no label). */
export function labelValue(v: OtlpAnyValue): string | string[] | null {
  if (v.type === 'empty') return null;
  if (v.type === 'array') return v.value.filter((x) => x.type !== 'empty').map(valueText);
  return valueText(v);
}
