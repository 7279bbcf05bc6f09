// The common shape every Windows event format is read into (Winlogbeat, NXLog, raw XML, EVTX JSON,
// Wazuh), so that one mapping turns all of them into the same ECS: what the <System> element holds,
// the <EventData>/<UserData> values, and what a shipper rendered (names for levels, tasks, keywords).

export type WinValue = string | string[];

export interface WinSystem {
  provider?: string;
  providerGuid?: string;
  /** Decimal, as a string ("4625"). */
  eventId?: string;
  version?: number;
  /** Numeric level (0-5) when the source gives the number. */
  level?: number;
  /** Numeric task/opcode as in the manifest. */
  task?: number;
  opcode?: number;
  /** The keywords mask, "0x8020000000000000". */
  keywords?: string;
  /** ISO 8601 with a zone. */
  timeCreated?: string;
  recordId?: string;
  activityId?: string;
  relatedActivityId?: string;
  processId?: number;
  threadId?: number;
  channel?: string;
  computer?: string;
  /** The <Security UserID=…> SID. */
  userId?: string;
}

/** Names a shipper resolved from the publisher's manifest (Winlogbeat, NXLog, RenderingInfo). */
export interface WinRendered {
  message?: string;
  level?: string;
  task?: string;
  opcode?: string;
  keywords?: string[];
  /** winlog.user.* that Winlogbeat/NXLog looked up for the UserID. */
  userName?: string;
  userDomain?: string;
  userType?: string;
}

export interface WinEvent {
  system: WinSystem;
  /** <EventData>: named <Data> by name; unnamed ones as param1, param2, … (as Winlogbeat does). */
  eventData: Record<string, WinValue>;
  /** <UserData>: the inner element's children, plus xml_name (as Winlogbeat does). */
  userData?: Record<string, WinValue>;
  rendered: WinRendered;
  /** The shipper's own host name, when it differs from <Computer> (used only as a fall-back). */
  shipperHost?: string;
  /** Why the record could only be read in part (a truncated XML record). */
  partial?: string;
}

/** Own-property write for keys that come from the wire ("__proto__" stays data). */
export function putValue(obj: Record<string, WinValue>, key: string, value: WinValue): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A scalar from JSON as the string Windows wrote; objects are not values. */
export function asString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Event data values keep Windows' string form; arrays of scalars stay arrays. */
export function asValue(v: unknown): WinValue | undefined {
  if (Array.isArray(v)) {
    const out = v.map(asString).filter((x): x is string => x !== undefined);
    return out.length === v.length ? out : undefined;
  }
  return asString(v);
}

/** Decimal or 0x-hex integer text ("0x2a4", "676"); undefined when neither. */
export function asInt(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (/^0[xX][0-9a-fA-F]{1,13}$/.test(t)) return parseInt(t.slice(2), 16);
  if (/^-?[0-9]{1,15}$/.test(t)) return parseInt(t, 10);
  return undefined;
}

/** The keywords mask as 0x-hex from a hex string or the signed 64-bit number NXLog writes. */
export function keywordsHex(v: unknown): string | undefined {
  if (typeof v === 'string') {
    const t = v.trim();
    if (/^0[xX][0-9a-fA-F]{1,16}$/.test(t)) return '0x' + t.slice(2).toLowerCase();
    if (/^-?[0-9]{1,20}$/.test(t)) return keywordsHex(Number(t));
    return undefined;
  }
  if (typeof v === 'number' && Number.isFinite(v) && Number.isInteger(v)) {
    return '0x' + BigInt.asUintN(64, BigInt(v)).toString(16);
  }
  return undefined;
}
