// One Beats event (the JSON of a '2J' frame) -> one Vigil record, as the Elasticsearch _bulk input takes
// the same documents, with one difference: here Vigil knows the sender is a Beat, so it says how to read
// the document instead of leaving the process stage to guess.
//   - A document with a structured shape Vigil's JSON parsers read (Winlogbeat's `winlog` object) is
//     queued as JSON: the windows parser maps it, and event.original is the whole document.
//   - Any other document with a `message` string (Filebeat's log and filestream inputs, syslog modules)
//     is an envelope (EntryMeta.envelope): `message` is parsed as a line, the Beat's fields (host,
//     log.file.path, agent, input.type, ...) fill what the line does not say, event.original is the line.
//   - Without a `message` string (Metricbeat, a Filebeat ndjson parser that consumed it), plain JSON.
// `@metadata` (beat, type, version, pipeline) is transport metadata: Beats never write it to
// Elasticsearch either, so it is dropped. Invalid JSON is kept as sent and stored as malformed.
import { capRecord, jsonRecord, type IngestRecord } from '../records.js';
import { isRecord } from '../../core/event.js';


/** Whether the document is one Vigil's JSON parsers read as a whole (not through its message). */
function structured(doc: Record<string, unknown>): boolean {
  return isRecord(doc.winlog);
}

export function beatsRecord(payload: Buffer, maxRecordBytes: number): IngestRecord {
  let doc: unknown;
  try {
    doc = JSON.parse(payload.toString('utf8'));
  } catch {
    return capRecord('json', payload, maxRecordBytes);
  }
  if (!isRecord(doc)) return capRecord('text', payload, maxRecordBytes);
  const envelope = typeof doc.message === 'string' && doc.message !== '' && !structured(doc);
  if (!('@metadata' in doc)) return payload.length <= maxRecordBytes ? capRecord('json', payload, maxRecordBytes, envelope) : jsonRecord(doc, envelope, maxRecordBytes);
  delete doc['@metadata'];
  return jsonRecord(doc, envelope, maxRecordBytes);
}
