// What a DN names, read from its shape alone: the stats log never shows an entry's objectClass.
//   uid=alice,ou=people,dc=example,dc=com    -> person "alice" in domain example.com
//   cn=admins,ou=groups,dc=example,dc=com    -> group "admins"
// Containers are recognised by their usual names (people, users, accounts, staff / groups, roles).

export type DnKind = 'person' | 'group' | 'entry';

const GROUP_OU = /(^|,)\s*ou=(groups?|roles|teams)\s*(,|$)/i;
const PERSON_OU = /(^|,)\s*ou=(people|users|accounts|staff|employees|persons)\s*(,|$)/i;

export function dnKind(dn: string): DnKind {
  if (GROUP_OU.test(dn)) return 'group';
  const attr = dn.slice(0, dn.indexOf('=')).trim().toLowerCase();
  if (attr === 'uid' || PERSON_OU.test(dn)) return 'person';
  if (/^cn=[^,]*group/i.test(dn)) return 'group';
  return 'entry';
}

/** The value of the first RDN ("alice" for uid=alice,ou=people,...). */
export function rdnValue(dn: string): string | undefined {
  const eq = dn.indexOf('=');
  if (eq < 0) return undefined;
  let end = eq + 1;
  while (end < dn.length && dn[end] !== ',' && dn[end] !== '+') end += dn[end] === '\\' ? 2 : 1;
  const v = dn.slice(eq + 1, end).trim().replace(/\\(.)/g, '$1');
  return v || undefined;
}

/** "example.com" from the dc= components, when there are any. */
export function dnDomain(dn: string): string | undefined {
  const dcs = [...dn.matchAll(/(?:^|,)\s*dc=([^,]+)/gi)].map((m) => m[1]!.trim());
  return dcs.length ? dcs.join('.') : undefined;
}
