// vigil ingest FILE...|- : streams files to a running server in batches of lines over
// POST /api/v1/events, with a progress bar. Busy or unreachable servers are retried with back-off
// (honouring Retry-After); on a permanent error it stops and prints how to resume.
import { createReadStream, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, CliError } from '../client.js';
import { Progress } from '../progress.js';

export interface IngestOptions {
  tenant?: string;
  source?: string;
  batchBytes: number;
  startLine: number;
  retries: number;
}

export async function ingestFiles(client: Client, files: string[], o: IngestOptions): Promise<{ events: number }> {
  let total = 0;
  for (const file of files) total += await ingestOne(client, file, o);
  return { events: total };
}

async function ingestOne(client: Client, file: string, o: IngestOptions): Promise<number> {
  const stdin = file === '-';
  const size = stdin ? null : statSync(file).size;
  const stream = stdin ? process.stdin : createReadStream(file, { highWaterMark: 1024 * 1024 });
  const progress = new Progress(stdin ? 'stdin' : file, size);
  const params = new URLSearchParams();
  if (o.tenant) params.set('tenant', o.tenant);
  if (o.source) params.set('source', o.source);
  const path = `/api/v1/events${params.size ? `?${params}` : ''}`;

  let lineNo = 0; // lines read so far
  let sentLines = 0; // lines the server has acknowledged
  let events = 0;
  let bytes = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let carry: Buffer = Buffer.alloc(0);

  const flush = async () => {
    if (pending.length === 0) return;
    const body = Buffer.concat(pending.flatMap((b) => [b, Buffer.from('\n')]));
    const n = pending.length;
    const accepted = await send(client, path, body, o.retries, () => lineNo - n + 1, file);
    events += accepted;
    sentLines = lineNo;
    pending = [];
    pendingBytes = 0;
    progress.update(bytes, events);
  };

  const take = async (line: Buffer) => {
    lineNo++;
    if (lineNo < o.startLine) return;
    pending.push(line);
    pendingBytes += line.length + 1;
    if (pendingBytes >= o.batchBytes) await flush();
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      let buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      for (let nl = buf.indexOf(0x0a, start); nl !== -1; nl = buf.indexOf(0x0a, start)) {
        await take(buf.subarray(start, nl));
        start = nl + 1;
      }
      carry = Buffer.from(buf.subarray(start));
      buf = Buffer.alloc(0);
    }
    if (carry.length) await take(carry);
    await flush();
  } catch (err) {
    progress.done(bytes, events);
    const resume = stdin ? '' : ` Resume with: vigil ingest --start-line ${sentLines + 1} ${file}`;
    throw new CliError(`${(err as Error).message}. ${sentLines} lines of ${file} were accepted.${resume}`);
  }
  progress.done(bytes, events);
  return events;
}

async function send(client: Client, path: string, body: Buffer, retries: number, firstLine: () => number, file: string): Promise<number> {
  let delay = 500;
  for (let attempt = 0; ; attempt++) {
    let res: Response | null = null;
    try {
      res = await client.request('POST', path, body, { 'content-type': 'text/plain' });
    } catch (err) {
      if (attempt >= retries) throw err;
    }
    if (res && res.ok) return ((await res.json()) as { accepted: number }).accepted;
    if (res && res.status !== 503 && res.status !== 429) {
      const text = await res.text();
      let msg = text;
      try {
        const e = (JSON.parse(text) as { error: { message: string; line?: number } }).error;
        msg = e.line ? `${e.message} (${file} line ${firstLine() + e.line - 1})` : e.message;
      } catch {
        /* not JSON */
      }
      throw new CliError(`server refused a batch: ${res.status} ${msg}`);
    }
    if (attempt >= retries) throw new CliError(`server still busy after ${retries} retries`);
    const after = Number(res?.headers.get('retry-after'));
    await sleep(Number.isFinite(after) && after > 0 ? after * 1000 : delay);
    delay = Math.min(delay * 2, 10_000);
  }
}
