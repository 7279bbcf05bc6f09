// The _bulk body: NDJSON pairs of an action line and, for create/index/update, a source line.
// Two kinds of failure, as Elasticsearch has them:
//   - the request is malformed (an action line that is not an action, an action with no index): the
//     whole request is refused and nothing is stored (BulkSyntaxError, 400);
//   - one document is bad (invalid JSON, not an object, too long, a bad index name, an operation Vigil
//     does not do): that item gets its own error and the others are stored.
// Source lines are kept as the exact bytes sent; they are parsed only to check them.
import { EsError } from './errors.js';

export type BulkAction = 'create' | 'index' | 'update' | 'delete';

export interface ItemError {
  type: string;
  reason: string;
}

export interface BulkItem {
  action: BulkAction;
  /** The target index or data stream: the action's `_index`, else the URL's. */
  index: string;
  /** The `_id` the sender gave, if any. */
  id: string | null;
  /** 1-based line of the action in the (decoded) body. */
  line: number;
  /** The source document, byte for byte, when it can be stored. */
  source?: Buffer;
  /** Why this item cannot be stored. */
  error?: ItemError;
}

export interface BulkOptions {
  /** The index named in the URL (`POST /{index}/_bulk`). */
  defaultIndex?: string;
  /** Longest source document accepted; a longer one is an item error. */
  maxLineBytes: number;
}

const ACTIONS: ReadonlySet<string> = new Set(['create', 'index', 'update', 'delete']);
const WITH_SOURCE: ReadonlySet<BulkAction> = new Set(['create', 'index', 'update']);
/** Elasticsearch's limit on `_id`. */
const MAX_ID_BYTES = 512;
const MAX_INDEX_BYTES = 255;
const INDEX_FORBIDDEN = /[\\/*?"<>| ,#:]/;

export class BulkSyntaxError extends EsError {
  constructor(reason: string, type = 'illegal_argument_exception') {
    super(400, type, reason);
  }
}

/** Yields [lineNumber, start, end) for each line, without the LF and a CR before it. */
function* lines(body: Buffer): Generator<[number, number, number]> {
  let start = 0;
  let n = 0;
  while (start < body.length) {
    let end = body.indexOf(0x0a, start);
    const next = end === -1 ? body.length : end + 1;
    if (end === -1) end = body.length;
    if (end > start && body[end - 1] === 0x0d) end--;
    yield [++n, start, end];
    start = next;
  }
}

function isBlank(b: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

function jsonTypeName(v: unknown): string {
  if (v === null) return 'VALUE_NULL';
  if (Array.isArray(v)) return 'START_ARRAY';
  switch (typeof v) {
    case 'string':
      return 'VALUE_STRING';
    case 'number':
      return 'VALUE_NUMBER';
    case 'boolean':
      return 'VALUE_BOOLEAN';
    default:
      return 'START_OBJECT';
  }
}

interface Action {
  action: BulkAction;
  index: string | undefined;
  id: string | null;
  idError?: ItemError;
}

function parseAction(text: string, line: number): Action {
  const malformed = (what: string) => new BulkSyntaxError(`Malformed action/metadata line [${line}], ${what}`);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw malformed(`not valid JSON: ${(err as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw malformed(`expected START_OBJECT but found [${jsonTypeName(v)}]`);
  const keys = Object.keys(v);
  if (keys.length !== 1) {
    throw keys.length === 0
      ? malformed('expected FIELD_NAME but found [END_OBJECT]')
      : malformed(`expected END_OBJECT but found [FIELD_NAME] ([${keys[1]}] after [${keys[0]}])`);
  }
  const name = keys[0]!;
  if (!ACTIONS.has(name)) throw malformed(`expected field [create], [delete], [index] or [update] but found [${name}]`);
  const meta = (v as Record<string, unknown>)[name];
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw malformed(`expected START_OBJECT but found [${jsonTypeName(meta)}]`);
  const m = meta as Record<string, unknown>;
  // Unknown parameters are ignored rather than refused: `_type` from Fluent Bit's default config, and
  // whatever a newer client adds, must not cost a whole batch.
  const index = m._index;
  if (index !== undefined && typeof index !== 'string') throw malformed(`expected a simple value for field [_index] but found [${jsonTypeName(index)}]`);
  const rawId = m._id;
  let id: string | null = null;
  if (rawId !== undefined && rawId !== null) {
    if (typeof rawId !== 'string' && typeof rawId !== 'number') throw malformed(`expected a simple value for field [_id] but found [${jsonTypeName(rawId)}]`);
    id = String(rawId);
  }
  const out: Action = { action: name as BulkAction, index, id };
  if (id === '') out.idError = { type: 'action_request_validation_exception', reason: 'Validation Failed: 1: if _id is specified it must not be empty;' };
  else if (id !== null && Buffer.byteLength(id) > MAX_ID_BYTES) {
    out.idError = { type: 'illegal_argument_exception', reason: `id [${id.slice(0, 32)}…] is too long, must be no longer than ${MAX_ID_BYTES} bytes but was: ${Buffer.byteLength(id)}` };
  }
  return out;
}

/** Elasticsearch's rules for index and data stream names; date math (`<logs-{now/d}>`) is let through. */
export function indexNameProblem(name: string): string | null {
  if (name.length === 0) return 'must not be empty';
  if (Buffer.byteLength(name) > MAX_INDEX_BYTES) return `index name is too long, (${Buffer.byteLength(name)} > ${MAX_INDEX_BYTES})`;
  if (name.startsWith('<') && name.endsWith('>')) return null;
  if (name !== name.toLowerCase()) return 'must be lowercase';
  if (INDEX_FORBIDDEN.test(name)) return 'must not contain the following characters [\\, /, *, ?, ", <, >, |, space, ",", #, :]';
  if (/^[_\-+]/.test(name)) return "must not start with '_', '-', or '+'";
  if (name === '.' || name === '..') return "must not be '.' or '..'";
  return null;
}

function checkSource(body: Buffer, start: number, end: number, line: number, maxLineBytes: number): ItemError | null {
  if (end - start > maxLineBytes) {
    return { type: 'illegal_argument_exception', reason: `the document on line ${line} is ${end - start} bytes, over Vigil's limit of ${maxLineBytes} bytes per event (http.max_line_bytes)` };
  }
  if (isBlank(body, start, end)) return { type: 'document_parsing_exception', reason: `[${line}:1] failed to parse: the document is empty` };
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8', start, end));
  } catch (err) {
    return { type: 'document_parsing_exception', reason: `[${line}:1] failed to parse: ${(err as Error).message}` };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return { type: 'document_parsing_exception', reason: `[${line}:1] failed to parse: the document is not a JSON object but [${jsonTypeName(v)}]` };
  }
  return null;
}

const UNSUPPORTED: ItemError = {
  type: 'illegal_argument_exception',
  reason: 'Vigil stores events as they arrive and does not update or delete them; use create or index',
};

export function parseBulk(body: Buffer, opts: BulkOptions): BulkItem[] {
  const items: BulkItem[] = [];
  const missingIndex: number[] = [];
  const it = lines(body);
  for (let next = it.next(); !next.done; next = it.next()) {
    const [line, start, end] = next.value;
    if (isBlank(body, start, end)) continue;
    // An action line longer than any document is not an action line; don't hand it to JSON.parse.
    if (end - start > opts.maxLineBytes) throw new BulkSyntaxError(`Malformed action/metadata line [${line}], ${end - start} bytes long`);
    const a = parseAction(body.toString('utf8', start, end), line);
    const index = a.index ?? opts.defaultIndex;
    if (index === undefined) missingIndex.push(line);
    const item: BulkItem = { action: a.action, index: index ?? '', id: a.id, line };
    if (WITH_SOURCE.has(a.action)) {
      const src = it.next();
      if (src.done) throw new BulkSyntaxError(`The [${a.action}] action on line [${line}] has no source line after it`);
      const [sLine, sStart, sEnd] = src.value;
      if (a.action !== 'update') {
        const problem = checkSource(body, sStart, sEnd, sLine, opts.maxLineBytes);
        if (problem) item.error = problem;
        else item.source = body.subarray(sStart, sEnd);
      }
    }
    const nameProblem = index === undefined ? null : indexNameProblem(index);
    if (a.action === 'update' || a.action === 'delete') {
      item.error = a.id === null ? { type: 'action_request_validation_exception', reason: 'Validation Failed: 1: id is missing;' } : UNSUPPORTED;
    } else if (a.idError) item.error = a.idError;
    else if (nameProblem) item.error = { type: 'invalid_index_name_exception', reason: `Invalid index name [${index}], ${nameProblem}` };
    if (item.error) delete item.source;
    items.push(item);
  }
  if (missingIndex.length) {
    const list = missingIndex.map((l, i) => `${i + 1}: index is missing (line ${l});`).join('');
    throw new BulkSyntaxError(`Validation Failed: ${list}`, 'action_request_validation_exception');
  }
  if (items.length === 0) throw new BulkSyntaxError('Validation Failed: 1: no requests added;', 'action_request_validation_exception');
  return items;
}
