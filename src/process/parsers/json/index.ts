// The generic JSON pass-through: any JSON object is taken as (possibly dotted) ECS fields. Runs after
// every format-specific JSON parser, so it is the fall-back that keeps any JSON shipper working.
import { expandDottedKeys, getPath, setPath, type EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';

const TIME_KEYS = ['@timestamp', 'timestamp', 'time', 'ts', 'date', 'eventTime', 'EventTime'];

export default defineParser({
  id: 'json',
  title: 'Generic JSON (ECS or any fields)',
  requirements: [],
  description: 'Generic JSON: fields taken as ECS (dotted or nested keys); common time keys mapped to @timestamp.',
  input: 'json',
  priority: 1000,
  parse({ json }) {
    if (!json) return null;
    const doc: EcsDoc = expandDottedKeys(json);
    if (getPath(doc, '@timestamp') === undefined) {
      for (const k of TIME_KEYS) {
        const v = doc[k];
        if (typeof v === 'string' || typeof v === 'number') {
          const ms = typeof v === 'number' && v < 1e11 ? v * 1000 : v; // epoch seconds vs millis
          const d = new Date(ms);
          if (!Number.isNaN(d.getTime())) {
            setPath(doc, '@timestamp', d.toISOString());
            break;
          }
        }
      }
    }
    // A JSON "message" that is not a string would break the text column; keep it under a clear name.
    if (doc.message !== undefined && typeof doc.message !== 'string') {
      doc['vigil_message_json'] = doc.message;
      delete doc.message;
    }
    return doc;
  },
});
