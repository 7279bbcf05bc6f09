import { defineParser } from '../define.js';
import { fromJson, zeekDnsToEcs } from './zeek.js';

export default defineParser({
  id: 'zeek-dns',
  title: 'Zeek dns.log (JSON)',
  description: 'Zeek dns.log in JSON (LogAscii::use_json); the TSV form is read by zeek-dns-tsv into the same dataset',
  input: 'json',
  requirements: ['B3'],
  parse({ json }) {
    // uid + trans_id + the AA flag (always logged) single out dns.log among Zeek's logs.
    if (!json || json.uid === undefined || json.trans_id === undefined || json.AA === undefined) return null;
    return zeekDnsToEcs(fromJson(json));
  },
});
