// The Windows DHCP Server audit log (%windir%\System32\dhcp\DhcpSrvLog-Day.log and DhcpV6SrvLog-Day.log):
// comma-separated lines after a fixed header,
//   ID,Date,Time,Description,IP Address,Host Name,MAC Address,User Name,TransactionID,QResult,Probationtime,
//   CorrelationID,Dhcid,VendorClass(Hex),VendorClass(ASCII),UserClass(Hex),UserClass(ASCII),RelayAgentInformation,DnsRegError
// (older servers stop after the first columns) and, for DHCPv6,
//   ID,Date,Time,Description,IPv6 Address,Host Name,Error Code,Duid Length,Duid Bytes(Hex),User Name,Dhcid,Subnet Prefix

export const V4_COLUMNS = [
  'id', 'date', 'time', 'description', 'ip', 'hostName', 'mac', 'userName', 'transactionId', 'qResult', 'probationTime',
  'correlationId', 'dhcid', 'vendorClassHex', 'vendorClassAscii', 'userClassHex', 'userClassAscii', 'relayAgentInformation',
  'dnsRegError',
] as const;
export const V6_COLUMNS = [
  'id', 'date', 'time', 'description', 'ip', 'hostName', 'errorCode', 'duidLength', 'duidHex', 'userName', 'dhcid', 'subnetPrefix',
] as const;

type Column = Exclude<(typeof V4_COLUMNS)[number] | (typeof V6_COLUMNS)[number], 'id' | 'date' | 'time'>;

export type DhcpLine = Partial<Record<Column, string>> & {
  id: string;
  /** Date and Time together. */
  at: Date;
  v6: boolean;
};

const SHAPE = /^\d{2,5},\d{1,2}\/\d{1,2}\/\d{2,4},\d{1,2}:\d{2}:\d{2},/;

/** A data line (not the header or the ID legend): "NN,MM/DD/YY,HH:MM:SS," — a char test, then one anchored regex. */
export function looksLikeDhcpAudit(line: string): boolean {
  const c = line.charCodeAt(0);
  return c >= 0x30 && c <= 0x39 && SHAPE.test(line);
}

export function parseDhcpLine(line: string): DhcpLine | null {
  const cols = line.split(',');
  const id = cols[0]!;
  const v6 = id.length === 5 && id.startsWith('11');
  const at = parseTime(cols[1]!, cols[2]!);
  if (!at) return null;
  const names = v6 ? V6_COLUMNS : V4_COLUMNS;
  const out: DhcpLine = { id, at, v6 };
  names.forEach((name, i) => {
    const v = cols[i]?.trim();
    if (i >= 3 && v) out[name as Column] = v;
  });
  return out;
}

/** MM/DD/YY and HH:MM:SS in the server's local time, read as UTC (the log has no zone). */
function parseTime(date: string, time: string): Date | undefined {
  const [mo, d, y] = date.split('/').map(Number) as [number, number, number];
  const [h, mi, s] = time.split(':').map(Number) as [number, number, number];
  const year = y < 100 ? 2000 + y : y;
  const t = new Date(Date.UTC(year, mo - 1, d, h, mi, s));
  if (t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return t;
}
