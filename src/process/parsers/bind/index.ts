import { defineParser } from '../define.js';
import { looksLikeBind, parseBind } from './bind.js';

export default defineParser({
  id: 'bind',
  title: 'ISC BIND 9 (named)',
  description:
    'named query logging (queries, responses, query-errors, security, update, xfer-out categories), via syslog (program named) or log files (print-time/category/severity in any combination); also Infoblox NIOS response logging',
  input: 'text',
  // No `programs` binding: the same lines come from files without a syslog header, so detection is
  // "program is named, or the cheap client-line signature" inside parse.
  priority: 60,
  requirements: ['B3'],
  parse({ message, syslog, program }) {
    const fromNamed = program === 'named';
    if (!fromNamed && !looksLikeBind(message)) return null;
    return parseBind(message, syslog, fromNamed);
  },
});
