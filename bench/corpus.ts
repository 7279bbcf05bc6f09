// A deterministic, realistic mix of security logs for the benchmark: sshd, sudo, BIND query logs,
// ISC dhcpd, squid (native access.log), iptables kernel drops and CloudTrail-like JSON. Formats are
// written from the vendors' documentation, not copied from fixtures. The same seed gives the same
// pools (users, hosts, IPs) and the same sequence of lines; only time stamps follow the clock, so
// every event lands in the last ~24h.

/** mulberry32: tiny, fast and good enough for choosing log fields (not for anything secret). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes a base seed with a stream number so each sender gets its own independent sequence. */
export function deriveSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

const FIRST = ['james', 'mary', 'john', 'patricia', 'robert', 'jennifer', 'michael', 'linda', 'david', 'elizabeth', 'william', 'barbara', 'richard', 'susan', 'joseph', 'jessica', 'thomas', 'sarah', 'charles', 'karen', 'priya', 'wei', 'fatima', 'olu', 'sven', 'aiko', 'diego', 'nadia', 'tomasz', 'ines'];
const LAST = ['smith', 'jones', 'taylor', 'brown', 'williams', 'wilson', 'johnson', 'davies', 'patel', 'wright', 'walker', 'white', 'edwards', 'hughes', 'green', 'hall', 'lewis', 'harris', 'clarke', 'khan', 'chen', 'novak', 'silva', 'okafor', 'berg'];
const SERVICE_USERS = ['root', 'admin', 'ubuntu', 'deploy', 'ansible', 'backup', 'jenkins', 'postgres', 'git', 'www-data'];
const INVALID_USERS = ['admin', 'test', 'oracle', 'user', 'guest', 'pi', 'support', 'ftpuser', 'ubnt', 'postgres', 'mysql', 'hadoop'];
const SUDO_CMDS = ['/usr/bin/systemctl restart nginx', '/usr/bin/apt-get update', '/usr/bin/journalctl -u sshd --since today', '/bin/cat /etc/shadow', '/usr/bin/docker ps -a', '/usr/sbin/iptables -L -n', '/usr/bin/tail -f /var/log/auth.log', '/bin/su -', '/usr/bin/vim /etc/hosts', '/usr/bin/kubectl get pods -A'];
const WORDS = ['cloud', 'data', 'secure', 'mail', 'shop', 'news', 'cdn', 'api', 'portal', 'media', 'auth', 'sync', 'pay', 'track', 'stats', 'files', 'video', 'login', 'update', 'static'];
const TLDS = ['com', 'net', 'org', 'io', 'co.uk', 'de', 'fr', 'info'];
const SUBS = ['www', 'api', 'cdn', 'login', 'mail', 'img', 'static', 'telemetry', 'update'];
const QTYPES = ['A', 'A', 'A', 'AAAA', 'AAAA', 'HTTPS', 'CNAME', 'MX', 'TXT', 'PTR'];
const SQUID_CODES = ['TCP_TUNNEL/200', 'TCP_TUNNEL/200', 'TCP_MISS/200', 'TCP_MISS/200', 'TCP_HIT/200', 'TCP_MISS/304', 'TCP_MISS/404', 'TCP_DENIED/403', 'TCP_MISS/302', 'TCP_MISS/503'];
const MIME = ['text/html', 'application/json', 'image/png', 'application/javascript', 'text/css', 'application/octet-stream'];
const PATHS = ['/', '/index.html', '/api/v1/items', '/static/app.js', '/images/logo.png', '/login', '/v2/update/check', '/search?q=report', '/assets/site.css'];
const DPORTS = [22, 23, 80, 443, 445, 3389, 3306, 5432, 8080, 8443, 25, 53, 123, 1433, 5900, 6379];
const AWS = [
  ['signin.amazonaws.com', 'ConsoleLogin'],
  ['s3.amazonaws.com', 'GetObject'],
  ['s3.amazonaws.com', 'PutObject'],
  ['ec2.amazonaws.com', 'DescribeInstances'],
  ['ec2.amazonaws.com', 'RunInstances'],
  ['ec2.amazonaws.com', 'TerminateInstances'],
  ['iam.amazonaws.com', 'CreateUser'],
  ['iam.amazonaws.com', 'AttachUserPolicy'],
  ['sts.amazonaws.com', 'AssumeRole'],
  ['kms.amazonaws.com', 'Decrypt'],
] as const;
const REGIONS = ['eu-west-2', 'eu-west-1', 'us-east-1', 'eu-central-1'];
const AGENTS = ['aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0', 'Boto3/1.34.69 Python/3.12.2', 'console.amazonaws.com', 'terraform-provider-aws/5.42.0'];
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Share of each source in the mix (per mille), roughly a small organisation's day.
const MIX: [Kind, number][] = [
  ['firewall', 250],
  ['dns', 250],
  ['proxy', 190],
  ['sshd', 110],
  ['cloud', 90],
  ['dhcp', 70],
  ['sudo', 40],
];
export type Kind = 'sshd' | 'sudo' | 'dns' | 'dhcp' | 'proxy' | 'firewall' | 'cloud';
export type Transport = 'syslog' | 'http';

const pad2 = (n: number) => (n < 10 ? '0' + n : String(n));
const pad3 = (n: number) => (n < 10 ? '00' + n : n < 100 ? '0' + n : String(n));

/** The shared vocabulary (same for every sender with the same seed), with realistic cardinalities. */
export class Pools {
  readonly users: string[] = [];
  readonly hosts: Record<'bastion' | 'server' | 'dns' | 'dhcp' | 'proxy' | 'fw', string[]>;
  readonly internalIps: string[] = [];
  readonly macs: string[] = [];
  readonly clientNames: string[] = [];
  readonly externalIps: string[] = [];
  readonly domains: string[] = [];
  readonly fingerprints: string[] = [];

  constructor(seed: number) {
    const r = prng(deriveSeed(seed, 0xffff));
    const int = (n: number) => Math.floor(r() * n);
    const names = new Set<string>();
    while (names.size < 480) {
      const f = FIRST[int(FIRST.length)]!;
      const l = LAST[int(LAST.length)]!;
      names.add(r() < 0.5 ? f[0] + l : `${f}.${l}`);
    }
    this.users = [...names];
    const series = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p}${pad2(i + 1)}`);
    this.hosts = {
      bastion: series('bastion', 4),
      server: [...series('web', 40), ...series('app', 30), ...series('db', 12), ...series('k8s-node', 48), ...series('ci', 6)],
      dns: ['ns1', 'ns2', 'ns3'],
      dhcp: ['dhcp1', 'dhcp2'],
      proxy: ['proxy1', 'proxy2', 'proxy3'],
      fw: ['fw-edge1', 'fw-edge2', 'fw-dc1', 'fw-dc2'],
    };
    const ips = new Set<string>();
    while (ips.size < 6000) ips.add(`10.${int(4) * 16 + int(3)}.${int(64)}.${1 + int(253)}`);
    this.internalIps = [...ips];
    for (let i = 0; i < this.internalIps.length; i++) {
      this.macs.push(Array.from({ length: 6 }, (_, k) => (k === 0 ? (int(64) * 4).toString(16) : int(256).toString(16)).padStart(2, '0')).join(':'));
      this.clientNames.push(`${['LT', 'DT', 'PH', 'PR'][int(4)]}-${(100000 + int(900000)).toString(36).toUpperCase()}`);
    }
    const ext = new Set<string>();
    const firsts = [3, 13, 18, 20, 23, 31, 34, 45, 52, 54, 62, 77, 81, 91, 104, 141, 151, 172, 185, 193, 195, 203, 212];
    while (ext.size < 20000) ext.add(`${firsts[int(firsts.length)]}.${int(256)}.${int(256)}.${1 + int(254)}`);
    this.externalIps = [...ext];
    const doms = new Set<string>();
    while (doms.size < 2500) doms.add(`${SUBS[int(SUBS.length)]}.${WORDS[int(WORDS.length)]}${WORDS[int(WORDS.length)]}.${TLDS[int(TLDS.length)]}`);
    this.domains = [...doms];
    const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    for (let i = 0; i < this.users.length; i++) this.fingerprints.push(Array.from({ length: 43 }, () => b64[int(64)]).join(''));
  }
}

/**
 * One sender's stream of lines. Lines are spread evenly over [start, end] in generation order (with
 * jitter), as if replaying a day from many sources at once.
 */
export class Corpus {
  private readonly r: () => number;
  private readonly mixTable: Kind[] = [];

  constructor(
    readonly pools: Pools,
    seed: number,
    private readonly transport: Transport,
  ) {
    this.r = prng(seed);
    for (const [k, w] of MIX) for (let i = 0; i < w; i++) this.mixTable.push(k);
  }

  private int(n: number): number {
    return Math.floor(this.r() * n);
  }

  private pick<T>(a: readonly T[]): T {
    return a[Math.floor(this.r() * a.length)]!;
  }

  /** Skewed pick: low indexes are much more frequent (a few busy users and hosts, a long tail). */
  private skew<T>(a: readonly T[]): T {
    const x = this.r();
    return a[Math.floor(x * x * a.length)]!;
  }

  /** One line for the event at time `ms`. */
  line(ms: number): string {
    const kind = this.mixTable[this.int(this.mixTable.length)]!;
    switch (kind) {
      case 'sshd':
        return this.sshd(ms);
      case 'sudo':
        return this.sudo(ms);
      case 'dns':
        return this.dns(ms);
      case 'dhcp':
        return this.dhcp(ms);
      case 'proxy':
        return this.proxy(ms);
      case 'firewall':
        return this.firewall(ms);
      case 'cloud':
        return this.cloud(ms);
    }
  }

  /** RFC 3164 header as rsyslog's traditional format writes it (time in UTC, no year). */
  private header(pri: number, ms: number, host: string, tag: string): string {
    const d = new Date(ms);
    const day = d.getUTCDate();
    return `<${pri}>${MON[d.getUTCMonth()]} ${day < 10 ? ' ' + day : day} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} ${host} ${tag}: `;
  }

  private pid(): number {
    return 300 + this.int(60000);
  }

  private sshd(ms: number): string {
    const h = this.header(38, ms, this.pick(this.pools.hosts.bastion), `sshd[${this.pid()}]`);
    const port = 1024 + this.int(64000);
    const x = this.r();
    if (x < 0.35) {
      // Internet scanners: mostly invalid users from external addresses.
      const ip = this.pick(this.pools.externalIps);
      return this.r() < 0.6
        ? `${h}Failed password for invalid user ${this.pick(INVALID_USERS)} from ${ip} port ${port} ssh2`
        : `${h}Failed password for ${this.pick(SERVICE_USERS)} from ${ip} port ${port} ssh2`;
    }
    const ui = Math.floor(this.r() * this.r() * this.pools.users.length);
    const user = this.pools.users[ui]!;
    const ip = this.skew(this.pools.internalIps);
    if (x < 0.45) return `${h}Failed password for ${user} from ${ip} port ${port} ssh2`;
    if (x < 0.8) return `${h}Accepted publickey for ${user} from ${ip} port ${port} ssh2: ED25519 SHA256:${this.pools.fingerprints[ui]}`;
    if (x < 0.9) return `${h}Accepted password for ${user} from ${ip} port ${port} ssh2`;
    return `${h}pam_unix(sshd:session): session opened for user ${user}(uid=${1000 + ui}) by (uid=0)`;
  }

  private sudo(ms: number): string {
    const user = this.skew(this.pools.users);
    const h = this.header(85, ms, this.pick(this.pools.hosts.server), 'sudo');
    const tty = `pts/${this.int(8)}`;
    if (this.r() < 0.08) return `${h}    ${user} : 3 incorrect password attempts ; TTY=${tty} ; PWD=/home/${user} ; USER=root ; COMMAND=${this.pick(SUDO_CMDS)}`;
    return `${h}    ${user} : TTY=${tty} ; PWD=/home/${user} ; USER=root ; COMMAND=${this.pick(SUDO_CMDS)}`;
  }

  private dns(ms: number): string {
    const server = this.pick(this.pools.hosts.dns);
    const h = this.header(30, ms, server, `named[${800 + this.int(200)}]`);
    const q = this.skew(this.pools.domains);
    const client = this.skew(this.pools.internalIps);
    const addr = `0x7f${(0x1000000000 + this.int(0xfffffffff)).toString(16)}`;
    const flags = this.r() < 0.9 ? '+E(0)K' : '+';
    return `${h}client @${addr} ${client}#${1024 + this.int(64000)} (${q}): query: ${q} IN ${this.pick(QTYPES)} ${flags} (10.0.0.${53 + this.pools.hosts.dns.indexOf(server)})`;
  }

  private dhcp(ms: number): string {
    const h = this.header(30, ms, this.pick(this.pools.hosts.dhcp), `dhcpd[${1200 + this.int(50)}]`);
    const i = this.int(this.pools.internalIps.length);
    const ip = this.pools.internalIps[i]!;
    const mac = this.pools.macs[i]!;
    const name = this.pools.clientNames[i]!;
    const via = `eth${this.int(2)}`;
    const x = this.r();
    if (x < 0.4) return `${h}DHCPACK on ${ip} to ${mac} (${name}) via ${via}`;
    if (x < 0.75) return `${h}DHCPREQUEST for ${ip} (10.0.0.${2 + this.int(2)}) from ${mac} (${name}) via ${via}`;
    if (x < 0.85) return `${h}DHCPDISCOVER from ${mac} (${name}) via ${via}`;
    if (x < 0.95) return `${h}DHCPOFFER on ${ip} to ${mac} (${name}) via ${via}`;
    return `${h}DHCPNAK on ${ip} to ${mac} via ${via}`;
  }

  /** squid native format: time elapsed client code/status bytes method URL user hierarchy/peer type. */
  private proxy(ms: number): string {
    const h = this.header(150, ms, this.pick(this.pools.hosts.proxy), `squid[${2000 + this.int(100)}]`);
    const client = this.skew(this.pools.internalIps);
    const code = this.pick(SQUID_CODES);
    const user = this.r() < 0.7 ? this.skew(this.pools.users) : '-';
    const dom = this.skew(this.pools.domains);
    const elapsed = String(this.int(3000)).padStart(6, ' ');
    const t = `${Math.floor(ms / 1000)}.${pad3(ms % 1000)}`;
    const peer = code.startsWith('TCP_DENIED') ? 'HIER_NONE/-' : `HIER_DIRECT/${this.pick(this.pools.externalIps)}`;
    if (code.startsWith('TCP_TUNNEL')) return `${h}${t} ${elapsed} ${client} ${code} ${500 + this.int(90000)} CONNECT ${dom}:443 ${user} ${peer} -`;
    return `${h}${t} ${elapsed} ${client} ${code} ${200 + this.int(200000)} GET http://${dom}${this.pick(PATHS)} ${user} ${peer} ${this.pick(MIME)}`;
  }

  /** iptables LOG target output as the kernel writes it (with a "DROP " --log-prefix). */
  private firewall(ms: number): string {
    const fw = this.pick(this.pools.hosts.fw);
    const h = this.header(4, ms, fw, 'kernel');
    const inbound = this.r() < 0.7;
    const src = inbound ? this.pick(this.pools.externalIps) : this.skew(this.pools.internalIps);
    const dst = inbound ? this.skew(this.pools.internalIps) : this.pick(this.pools.externalIps);
    const tcp = this.r() < 0.85;
    const up = ((ms / 1000) % 8_000_000) + this.int(1000) / 1e6; // uptime, as the kernel prints it
    const mac = `00:16:3e:${(this.int(256)).toString(16).padStart(2, '0')}:1a:2b:00:1c:7f:aa:bb:01:08:00`;
    const base = `${h}[${up.toFixed(6).padStart(14, ' ')}] DROP IN=eth${inbound ? 0 : 1} OUT= MAC=${mac} SRC=${src} DST=${dst} LEN=${tcp ? 60 : 76} TOS=0x00 PREC=0x00 TTL=${40 + this.int(24)} ID=${this.int(65536)}`;
    const spt = 1024 + this.int(64000);
    if (tcp) return `${base} DF PROTO=TCP SPT=${spt} DPT=${this.skew(DPORTS)} WINDOW=${[29200, 64240, 65535][this.int(3)]} RES=0x00 SYN URGP=0`;
    return `${base} PROTO=UDP SPT=${spt} DPT=${[53, 123, 161, 1900, 5060][this.int(5)]} LEN=56`;
  }

  /** A CloudTrail record (trimmed to its commonly used keys). Over syslog it travels as a JSON message. */
  private cloud(ms: number): string {
    const [source, name] = this.pick(AWS);
    const user = this.skew(this.pools.users);
    const acct = ['123456789012', '210987654321', '555566667777'][this.int(3)]!;
    const json = JSON.stringify({
      eventVersion: '1.09',
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${acct}:user/${user}`, accountId: acct, userName: user },
      eventTime: new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventSource: source,
      eventName: name,
      awsRegion: this.pick(REGIONS),
      sourceIPAddress: this.r() < 0.6 ? this.pick(this.pools.externalIps) : this.skew(this.pools.internalIps),
      userAgent: this.pick(AGENTS),
      eventID: this.uuid(),
      eventType: name === 'ConsoleLogin' ? 'AwsConsoleSignIn' : 'AwsApiCall',
    });
    return this.transport === 'http' ? json : this.header(110, ms, 'cloudtrail-fwd', 'aws-cloudtrail') + json;
  }

  private uuid(): string {
    const hex = (n: number) => Array.from({ length: n }, () => this.int(16).toString(16)).join('');
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[this.int(4)]}${hex(3)}-${hex(12)}`;
  }

  /** Time of the i-th of n events: evenly over [start, end] with up to ±30 s jitter, never in the future. */
  timeOf(i: number, n: number, start: number, end: number): number {
    const t = start + ((end - start) * i) / Math.max(1, n) + (this.r() - 0.5) * 60_000;
    return Math.min(end, Math.max(start, Math.round(t)));
  }
}

/** The user the term query looks for: frequent enough to have hits, not the single busiest one. */
export function queryUser(pools: Pools): string {
  return pools.users[5]!;
}
