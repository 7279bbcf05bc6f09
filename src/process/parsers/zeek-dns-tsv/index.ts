import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { fromTsv, zeekDnsToEcs } from '../zeek-dns/zeek.js';

export default defineParser({
  id: 'zeek-dns-tsv',
  title: 'Zeek dns.log (TSV)',
  description:
    "Zeek dns.log in its default tab-separated form, read by Zeek's documented default column order; '#' header lines are left unparsed. Events share the zeek-dns dataset",
  input: 'text',
  priority: 90,
  requirements: ['B3'],
  parse({ message }) {
    // Signature: epoch seconds with a fraction, then a tab, before splitting anything.
    const c = message.charCodeAt(0);
    if (c < 0x30 || c > 0x39) return null;
    const tab = message.indexOf('\t');
    if (tab < 9 || tab > 20) return null;
    const rec = fromTsv(message);
    if (!rec) return null;
    const doc = zeekDnsToEcs(rec);
    // One dataset for both encodings (a parser is either a JSON or a text parser, hence two folders).
    (doc.event as EcsDoc).dataset = 'zeek-dns';
    return doc;
  },
});
