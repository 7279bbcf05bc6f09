// An OTLP export request as the records the queue takes: each (resource, scope) pair is one batch (one
// intake.submit, so one or more WAL entries) of JSON envelopes, in the order sent. A record whose
// envelope is longer than the longest record Vigil stores (http.max_line_bytes) is refused alone and
// counted; OTLP reports it to the sender as a partial success, and the rest of the request is kept.
import type { ExportLogsRequest } from '../../wire/otlp-logs.js';
import { recordEnvelope, scopeBase } from './map-record.js';

export interface MappedRequest {
  /** One array of envelope records per ScopeLogs that has any. */
  batches: Buffer[][];
  accepted: number;
  rejected: number;
  /** Why records were refused, naming the first of them; "" when none was. */
  problem: string;
}

export function mapRequest(req: ExportLogsRequest, maxRecordBytes: number): MappedRequest {
  const out: MappedRequest = { batches: [], accepted: 0, rejected: 0, problem: '' };
  let first = '';
  req.resourceLogs.forEach((rl, i) => {
    rl.scopeLogs.forEach((sl, j) => {
      if (sl.logRecords.length === 0) return;
      const base = scopeBase(rl.resource, sl.scope);
      const batch: Buffer[] = [];
      sl.logRecords.forEach((r, k) => {
        const data = Buffer.from(JSON.stringify(recordEnvelope(r, base)), 'utf8');
        if (data.length <= maxRecordBytes) {
          batch.push(data);
          return;
        }
        out.rejected++;
        if (!first) first = `resourceLogs[${i}].scopeLogs[${j}].logRecords[${k}] is ${data.length} bytes as a Vigil event`;
      });
      out.accepted += batch.length;
      if (batch.length > 0) out.batches.push(batch);
    });
  });
  if (out.rejected > 0) {
    const total = out.accepted + out.rejected;
    out.problem = `${out.rejected} of ${total} log records refused: longer than the limit of ${maxRecordBytes} bytes per record (http.max_line_bytes); the first, ${first}`;
  }
  return out;
}
