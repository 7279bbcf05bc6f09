import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { parseDnsmasq } from './dnsmasq.js';

export default defineParser({
  id: 'dnsmasq',
  title: 'dnsmasq DNS',
  description:
    'dnsmasq log-queries lines (query, forwarded, reply, cached, config, hosts-file answers; log-queries=extra serials), replies joined to their query',
  input: 'text',
  programs: ['dnsmasq'],
  requirements: ['B3'],
  parse({ message, syslog, state }) {
    const doc = parseDnsmasq(message, syslog, state);
    if (doc && Object.keys(doc.dnsmasq as EcsDoc).length === 0) delete doc.dnsmasq;
    return doc;
  },
});
