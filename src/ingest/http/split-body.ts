// Turns a POST /api/v1/events body into records: NDJSON, a JSON array, or text lines.
import { VigilError } from '../../core/errors.js';
import type { Codec } from '../../queue/entry.js';

export interface SplitBody {
  batches: { codec: Codec; records: Buffer[] }[];
  count: number;
}

function tooLong(line: number, length: number, limit: number): VigilError {
  return new VigilError('line_too_long', `line ${line} is ${length} bytes, over the limit of ${limit} bytes`, {
    line,
    limit_bytes: limit,
  });
}

/** Splits on LF (CRLF tolerated), skipping blank lines; enforces the per-line limit. */
export function splitLines(body: Buffer, maxLine: number): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  let lineNo = 0;
  while (start < body.length) {
    let end = body.indexOf(0x0a, start);
    if (end === -1) end = body.length;
    lineNo++;
    let stop = end;
    if (stop > start && body[stop - 1] === 0x0d) stop--;
    if (stop - start > maxLine) throw tooLong(lineNo, stop - start, maxLine);
    if (stop > start && !isBlank(body, start, stop)) out.push(body.subarray(start, stop));
    start = end + 1;
  }
  return out;
}

function isBlank(b: Buffer, start: number, stop: number): boolean {
  for (let i = start; i < stop; i++) {
    const c = b[i]!;
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

export function splitBody(body: Buffer, contentType: string | undefined, maxLine: number): SplitBody {
  const type = (contentType ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
  const isJson = type === 'application/json' || type.endsWith('+json');
  const isNdjson = type === 'application/x-ndjson' || type === 'application/ndjson' || type === 'application/jsonl' || type === 'application/json-seq';
  let i = 0;
  while (i < body.length && (body[i] === 0x20 || body[i] === 0x0a || body[i] === 0x0d || body[i] === 0x09)) i++;
  if (isJson && body[i] === 0x5b /* [ */) return splitArray(body, maxLine);
  const records = splitLines(body, maxLine);
  const codec: Codec = isJson || isNdjson ? 'json' : 'text';
  return { batches: [{ codec, records }], count: records.length };
}

function splitArray(body: Buffer, maxLine: number): SplitBody {
  let arr: unknown;
  try {
    arr = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new VigilError('bad_request', `body is not a valid JSON array: ${(err as Error).message}`);
  }
  if (!Array.isArray(arr)) throw new VigilError('bad_request', 'body is not a JSON array');
  const json: Buffer[] = [];
  const text: Buffer[] = [];
  arr.forEach((el, idx) => {
    const b = Buffer.from(typeof el === 'string' ? el : JSON.stringify(el));
    if (b.length > maxLine) throw tooLong(idx + 1, b.length, maxLine);
    (typeof el === 'string' ? text : json).push(b);
  });
  const batches: SplitBody['batches'] = [];
  if (json.length) batches.push({ codec: 'json', records: json });
  if (text.length) batches.push({ codec: 'text', records: text });
  return { batches, count: arr.length };
}
