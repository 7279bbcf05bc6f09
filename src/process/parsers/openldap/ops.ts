// The meaning of a finished LDAP operation: the RESULT line joined with its request (BIND, ADD, MOD,
// DEL, PASSMOD...) and with the connection it ran on (client address, bound DN).
import { mergeInto, type EcsDoc } from '../../../core/event.js';
import { evidence } from '../ecs.js';
import { dnDomain, dnKind, rdnValue } from './dn.js';

export interface ConnState {
  ip?: string;
  port?: number;
  serverIp?: string;
  serverPort?: number;
  path?: string;
  boundDn?: string;
}

export interface OpState {
  type: string;
  dn?: string;
  method?: string;
  mech?: string;
  attrs?: string[];
  oid?: string;
}

// RFC 4511 result codes, for event.reason when slapd gives no text.
const RESULT_NAMES: Record<number, string> = {
  0: 'success', 1: 'operationsError', 2: 'protocolError', 3: 'timeLimitExceeded', 4: 'sizeLimitExceeded', 5: 'compareFalse',
  6: 'compareTrue', 7: 'authMethodNotSupported', 8: 'strongerAuthRequired', 10: 'referral', 11: 'adminLimitExceeded',
  13: 'confidentialityRequired', 14: 'saslBindInProgress', 16: 'noSuchAttribute', 17: 'undefinedAttributeType',
  19: 'constraintViolation', 20: 'attributeOrValueExists', 21: 'invalidAttributeSyntax', 32: 'noSuchObject',
  34: 'invalidDNSyntax', 48: 'inappropriateAuthentication', 49: 'invalidCredentials', 50: 'insufficientAccessRights',
  51: 'busy', 52: 'unavailable', 53: 'unwillingToPerform', 64: 'namingViolation', 65: 'objectClassViolation',
  66: 'notAllowedOnNonLeaf', 68: 'entryAlreadyExists', 80: 'other',
};

export const TAG_OPS: Record<number, string> = { 97: 'BIND', 101: 'SRCH', 103: 'MOD', 105: 'ADD', 107: 'DEL', 109: 'MODRDN', 111: 'CMP', 120: 'EXT' };
const MEMBER_ATTRS = new Set(['member', 'uniquemember', 'memberuid']);
const PASSWORD_ATTRS = new Set(['userpassword', 'sambantpassword', 'unicodepwd']);
const PASSMOD_OID = '1.3.6.1.4.1.4203.1.11.1';

export function resultName(code: number): string {
  return RESULT_NAMES[code] ?? `ldap error ${code}`;
}

/** ECS user.* (or user.target.*) for a DN: name from the RDN, domain from the dc= parts. */
export function userOf(dn: string): EcsDoc {
  // ldapi:// with SASL EXTERNAL: the local Unix account, known only by its numeric ids.
  const peer = /^gidNumber=(\d+)\+uidNumber=(\d+),cn=peercred,cn=external,cn=auth$/i.exec(dn);
  if (peer) return { id: peer[2]!, group: { id: peer[1]! } };
  const u: EcsDoc = {};
  const name = rdnValue(dn);
  if (name) u.name = name;
  const domain = dnDomain(dn);
  if (domain) u.domain = domain;
  return u;
}

export function outcomeOf(err: number): string | undefined {
  if (err === 0 || err === 5 || err === 6) return 'success';
  if (err === 14 || err === 10) return undefined; // a SASL step or a referral: not an end
  return 'failure';
}

/** The typed event for a RESULT, given what the request and the connection said. */
export function resultEvent(doc: EcsDoc, op: OpState | undefined, opType: string | undefined, err: number, conn: ConnState | undefined): void {
  const event = doc.event as EcsDoc;
  const type = op?.type ?? opType;
  if (type) event.action = `${type.toLowerCase()}-result`;
  const actor = conn?.boundDn;
  if (type === 'BIND') {
    event.category = ['authentication'];
    event.type = ['start'];
    const dn = op?.dn;
    if (dn) {
      doc.user = userOf(dn);
      mergeInto(doc, { openldap: { dn } });
      evidence(doc, err === 0 ? [] : ['B1.4'], ['P1a']);
    }
    return;
  }
  if (actor) doc.user = userOf(actor);
  const dn = op?.dn;
  if (!dn || !type) {
    if (type === 'SRCH') (event.category = ['database']), (event.type = ['access']);
    return;
  }
  mergeInto(doc, { openldap: { dn } });
  const kind = dnKind(dn);
  const attrs = (op?.attrs ?? []).map((a) => a.toLowerCase());
  const target = userOf(dn);
  const iam = (types: string[], reqs: string[], princ: string[]) => {
    event.category = ['iam'];
    event.type = types;
    if (kind === 'group') doc.group = { name: target.name ?? dn, ...(target.domain ? { domain: target.domain } : {}) };
    else doc.user = { ...((doc.user as EcsDoc) ?? {}), target };
    evidence(doc, reqs, princ);
  };
  const isPassmod = type === 'EXT' && op?.oid === PASSMOD_OID;
  if (type === 'ADD' && kind === 'person') iam(['user', 'creation'], ['B1.1'], ['P2a']);
  else if (type === 'ADD' && kind === 'group') iam(['group', 'creation'], ['B1.8'], ['P2a']);
  else if (type === 'DEL' && kind !== 'entry') iam([kind === 'group' ? 'group' : 'user', 'deletion'], [], ['P2a']);
  else if (type === 'MOD' && kind === 'group' && attrs.some((a) => MEMBER_ATTRS.has(a))) iam(['group', 'change'], ['B1.7'], ['P2b']);
  else if (type === 'MOD' && kind === 'group') iam(['group', 'change'], [], ['P2a']);
  else if ((type === 'MOD' && attrs.some((a) => PASSWORD_ATTRS.has(a))) || isPassmod) iam(['user', 'change'], ['B1.6'], ['P2a']);
  else if (type === 'MOD' && kind === 'person') iam(['user', 'change'], [], []);
  else {
    event.category = ['database'];
    event.type = type === 'SRCH' || type === 'CMP' ? ['access'] : type === 'ADD' ? ['creation'] : type === 'DEL' ? ['deletion'] : ['change'];
  }
}
