// System channel events that matter for security: a service installed (7045, a common persistence and
// lateral-movement step) and an event log cleared (104).
import { categorise, put, type MapContext } from './context.js';
import { field } from './values.js';

export function mapSystem(ctx: MapContext): void {
  const { doc, id, data } = ctx;
  const provider = ctx.ev.system.provider;
  if (id === '7045' && provider === 'Service Control Manager') {
    categorise(doc, ['iam', 'configuration'], ['admin', 'change'], 'service-installed');
    put(doc, 'service.name', field(data, 'ServiceName'));
    put(doc, 'service.type', field(data, 'ServiceType'));
  } else if (id === '104' && provider === 'Microsoft-Windows-Eventlog') {
    const ud = ctx.ev.userData ?? data;
    categorise(doc, ['iam'], ['admin', 'change'], 'log-cleared');
    put(doc, 'user.name', field(ud, 'SubjectUserName'));
    put(doc, 'user.domain', field(ud, 'SubjectDomainName'));
  }
}
