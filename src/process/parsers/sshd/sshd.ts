// OpenSSH sshd's own messages (auth.log / secure), from OpenSSH's auth.c, sshd.c and packet.c formats:
//   Accepted publickey for alice from 192.0.2.10 port 50522 ssh2: ED25519 SHA256:Xy...
//   Failed password for invalid user admin from 203.0.113.9 port 40112 ssh2
//   Invalid user admin from 203.0.113.9 port 40112
//   Connection closed by authenticating user root 203.0.113.9 port 40112 [preauth]
//   error: maximum authentication attempts exceeded for root from 203.0.113.9 port 40112 ssh2 [preauth]
// Login attempts are B2.2 (bastion login, with the key and user), failures also B1.4.
import type { EcsDoc } from '../../../core/event.js';
import { evidence } from '../ecs.js';
import { classify, ev, setSource, setUser } from './linux-auth.js';

const LOGIN = /^(Accepted|Failed|Postponed|Partial) (\S+) for (invalid user )?(.*?) from (\S+) port (\d+)(?: (ssh\d?))?(?:: (.*))?$/;
const KEY = /^(\S+) (\S+)(?: ID (.*?) \(serial (\d+)\) CA (\S+) (\S+))?/;
const INVALID = /^Invalid user (.*?) from (\S+)(?: port (\d+))?$/;
const MAX_ATTEMPTS = /^maximum authentication attempts exceeded for (invalid user )?(.*?) from (\S+) port (\d+)(?: ssh\d?)?$/;
const CONN = /^Connection (closed|reset) by (?:(authenticating|invalid) user (.*?) |user (.*?) )?(\S+)(?: port (\d+))?$/;
const DISCONNECTED = /^Disconnected from (?:(authenticating|invalid) user (.*?) |user (.*?) )?(\S+) port (\d+)$/;
const DISCONNECTING_USER = /^Disconnecting (?:(authenticating|invalid) )?user (.*?) (\S+) port (\d+)(?:: (.*))?$/;
const TOO_MANY = /^Too many authentication failures(?: for (invalid user )?(.+))?$/;
const RECEIVED_PORT = /^Received disconnect from (\S+) port (\d+): ?(\d+): (.*)$/;
const RECEIVED_OLD = /^Received disconnect from (.+?): (\d+): (.*)$/;
const NO_ID = /^Did not receive identification string from (\S+)(?: port (\d+))?$/;
const BAD_VERSION = /^Bad protocol version identification '(.*)' from (\S+)(?: port (\d+))?$/;
const NEGOTIATE = /^Unable to negotiate with (\S+?)(?: port (\d+))?: (.*)$/;
const REVERSE = /^reverse mapping checking getaddrinfo for (\S+) \[(\S+)\] failed/;
const MAPS_TO = /^Address (\S+) maps to (\S+), but this does not map back to the address/;
const NOT_ALLOWED = /^User (\S+) from (\S+) not allowed because (.*)$/;
const PAM_ERROR = /^PAM: (.*?) for (illegal user )?(.*?) from (\S+)$/;
const USERAUTH_INVALID = /^input_userauth_request: invalid user (.*)$/;
const SUBSYSTEM = /^subsystem request for (\S+) by user (\S+)(?: failed, subsystem not found)?$/;
const STARTING = /^Starting session: (.+?) for (\S+) from (\S+) port (\d+)(?: id (\d+))?$/;
const CLOSE_SESSION = /^Close session: user (\S+) from (\S+) port (\d+)(?: id (\d+))?$/;
const CONNECTION_FROM = /^Connection from (\S+) port (\d+) on (\S+) port (\d+)/;
const LISTENING = /^Server listening on (\S+) port (\d+)\.?$/;
const REFUSED = /^Authentication refused: (.*?)(?: for file | )(\/\S+)?$/;
const KEY_FOUND = /^Accepted key (\S+) (\S+) found at (\S+?):(\d+)$/;
const TIMEOUT = /^Timeout before authentication for (\S+)(?: port (\d+))?$/;
const READ_ERROR = /^Read error from remote host (\S+)(?: port (\d+))?: (.*)$/;

const LOGIN_REQ = ['B2.2'];
const FAILED_REQ = ['B2.2', 'B1.4'];

function ssh(doc: EcsDoc): EcsDoc {
  const sys = (doc.system ??= {}) as EcsDoc;
  const auth = (sys.auth ??= {}) as EcsDoc;
  return (auth.ssh ??= {}) as EcsDoc;
}

function failedLogin(doc: EcsDoc, action: string, type = 'start'): EcsDoc {
  classify(doc, ['authentication'], [type], action, 'failure');
  return evidence(doc, FAILED_REQ, ['P1a']);
}

function networkEnd(doc: EcsDoc, action: string): EcsDoc {
  return classify(doc, ['network'], ['connection', 'end'], action);
}

/** Reads one sshd message (already unwrapped); null when it is not one sshd writes in a known form. */
export function readSshd(text: string, preauth: boolean): EcsDoc | null {
  const doc: EcsDoc = { event: { kind: 'event' } };
  if (preauth) ssh(doc).preauth = true;
  let m: RegExpExecArray | null;
  const c = text.charCodeAt(0);

  // The hot lines first: login attempts start with A, F, P.
  if ((c === 0x41 || c === 0x46 || c === 0x50) && (m = LOGIN.exec(text))) {
    const [, word, method, invalid, user, host, port, , sig] = m;
    const s = ssh(doc);
    s.event = word!;
    s.method = method!;
    if (invalid) s.invalid_user = true;
    if (sig) {
      s.signature = sig;
      const k = KEY.exec(sig);
      if (k) {
        s.key = { type: k[1]!, fingerprint: k[2]! };
        if (k[3] !== undefined) s.cert = { id: k[3], serial: Number(k[4]), ca: { type: k[5]!, fingerprint: k[6]! } };
      }
    }
    setUser(doc, user);
    setSource(doc, host, port);
    if (word === 'Accepted') {
      classify(doc, ['authentication', 'session'], ['start'], 'ssh_login', 'success');
      return evidence(doc, LOGIN_REQ, ['P1a']);
    }
    // An invalid user never logs in, whatever round this is.
    if (word === 'Failed' || invalid) return failedLogin(doc, 'ssh_login', word === 'Failed' ? 'start' : 'info');
    // Postponed: the first round of keyboard-interactive; Partial: one factor of several passed.
    classify(doc, ['authentication'], ['info'], 'ssh_login');
    return evidence(doc, LOGIN_REQ, ['P1a']);
  }
  if (c === 0x49 /* I */ && (m = INVALID.exec(text))) {
    ssh(doc).event = 'Invalid';
    ssh(doc).invalid_user = true;
    setUser(doc, m[1]);
    setSource(doc, m[2], m[3]);
    return failedLogin(doc, 'ssh_login');
  }
  if (text.startsWith('error: ')) {
    const rest = text.slice(7);
    if ((m = MAX_ATTEMPTS.exec(rest))) {
      if (m[1]) ssh(doc).invalid_user = true;
      setUser(doc, m[2]);
      setSource(doc, m[3], m[4]);
      (doc.event as EcsDoc).reason = 'maximum authentication attempts exceeded';
      return failedLogin(doc, 'max-auth-attempts-exceeded', 'info');
    }
    if ((m = PAM_ERROR.exec(rest))) {
      if (m[2]) ssh(doc).invalid_user = true;
      setUser(doc, m[3]);
      setSource(doc, m[4]);
      (doc.event as EcsDoc).reason = m[1]!;
      return failedLogin(doc, 'pam-error', 'info');
    }
    if ((m = RECEIVED_PORT.exec(rest)) || (m = RECEIVED_OLD.exec(rest))) return received(doc, m);
    if ((m = NEGOTIATE.exec(rest))) return negotiate(doc, m);
    if ((m = /^Could not stat AuthorizedKeysCommand "(.*)": (.*)$/.exec(rest))) {
      doc.file = { path: m[1]! };
      ev(doc).reason = m[2]!;
      return classify(doc, ['configuration'], ['info'], 'authorized-keys-command-error');
    }
    return null;
  }
  if (text.startsWith('fatal: ')) {
    const rest = text.slice(7);
    if ((m = NEGOTIATE.exec(rest))) return negotiate(doc, m);
    if (rest.startsWith('Unable to negotiate')) {
      ev(doc).reason = rest;
      return networkEnd(doc, 'negotiation-failed');
    }
    // "fatal: Read from socket failed: Connection reset by peer", "fatal: Write failed: ..."
    if (/^(?:Read from socket|Write) failed: /.test(rest)) {
      ev(doc).reason = rest;
      return networkEnd(doc, 'connection-error');
    }
    return null;
  }
  if ((m = CONN.exec(text))) {
    const [, how, phase, pUser, user, host, port] = m;
    setSource(doc, host, port);
    networkEnd(doc, how === 'closed' ? 'connection-closed' : 'connection-reset');
    if (phase) {
      // The client gave up (or was cut) while logging in: an attempt, with no verdict unless the user is unknown.
      setUser(doc, pUser);
      ssh(doc).phase = phase;
      (doc.event as EcsDoc).category = ['network', 'authentication'];
      if (phase === 'invalid') {
        ssh(doc).invalid_user = true;
        (doc.event as EcsDoc).outcome = 'failure';
        return evidence(doc, FAILED_REQ, ['P1a']);
      }
      return evidence(doc, LOGIN_REQ, ['P1a']);
    }
    if (user) setUser(doc, user);
    return doc;
  }
  if ((m = DISCONNECTED.exec(text))) {
    const [, phase, pUser, user, host, port] = m;
    setSource(doc, host, port);
    networkEnd(doc, 'disconnected');
    if (user) {
      // "Disconnected from user alice ..." ends an authenticated connection: a logout.
      setUser(doc, user);
      (doc.event as EcsDoc).category = ['network', 'session'];
      return evidence(doc, [], ['P1c']);
    }
    if (phase) {
      setUser(doc, pUser);
      ssh(doc).phase = phase;
      if (phase === 'invalid') {
        ssh(doc).invalid_user = true;
        (doc.event as EcsDoc).outcome = 'failure';
      }
    }
    return doc;
  }
  if (text.startsWith('Disconnecting')) {
    if ((m = DISCONNECTING_USER.exec(text))) {
      const [, phase, user, host, port, reason] = m;
      setUser(doc, user);
      setSource(doc, host, port);
      if (phase) ssh(doc).phase = phase;
      if (phase === 'invalid') ssh(doc).invalid_user = true;
      if (reason) ev(doc).reason = reason;
      if (phase === 'invalid' || (reason && TOO_MANY.test(reason))) return failedLogin(doc, 'too-many-authentication-failures', 'info');
      return networkEnd(doc, 'disconnecting');
    }
    if (text.startsWith('Disconnecting: ')) {
      const reason = text.slice(15);
      ev(doc).reason = reason;
      if ((m = TOO_MANY.exec(reason))) {
        if (m[1]) ssh(doc).invalid_user = true;
        setUser(doc, m[2]);
        return failedLogin(doc, 'too-many-authentication-failures', 'info');
      }
      return networkEnd(doc, 'disconnecting');
    }
    return null;
  }
  if ((m = RECEIVED_PORT.exec(text)) || (m = RECEIVED_OLD.exec(text))) return received(doc, m);
  if ((m = NO_ID.exec(text))) {
    // Elastic keeps the address in system.auth.ssh.dropped_ip as well.
    ssh(doc).dropped_ip = m[1]!;
    setSource(doc, m[1], m[2]);
    return networkEnd(doc, 'no-identification-string');
  }
  if ((m = BAD_VERSION.exec(text))) {
    ssh(doc).client_version = m[1]!;
    setSource(doc, m[2], m[3]);
    return networkEnd(doc, 'bad-protocol-version');
  }
  if ((m = NEGOTIATE.exec(text))) return negotiate(doc, m);
  if ((m = REVERSE.exec(text))) {
    setSource(doc, m[2]);
    if (doc.source) (doc.source as EcsDoc).domain = m[1]!;
    ev(doc).reason = 'reverse DNS does not match (possible break-in attempt)';
    return classify(doc, ['network'], ['info'], 'reverse-mapping-check-failed');
  }
  if ((m = MAPS_TO.exec(text))) {
    setSource(doc, m[1]);
    if (doc.source) (doc.source as EcsDoc).domain = m[2]!;
    ev(doc).reason = 'reverse DNS does not match (possible break-in attempt)';
    return classify(doc, ['network'], ['info'], 'reverse-mapping-check-failed');
  }
  if ((m = NOT_ALLOWED.exec(text))) {
    setUser(doc, m[1]);
    setSource(doc, m[2]);
    ev(doc).reason = `not allowed because ${m[3]}`;
    return failedLogin(doc, 'user-not-allowed', 'info');
  }
  if ((m = USERAUTH_INVALID.exec(text))) {
    ssh(doc).event = 'Invalid';
    ssh(doc).invalid_user = true;
    setUser(doc, m[1]);
    return failedLogin(doc, 'invalid-user-request', 'info');
  }
  if ((m = SUBSYSTEM.exec(text))) {
    ssh(doc).subsystem = m[1]!;
    setUser(doc, m[2]);
    classify(doc, ['session'], ['info'], 'subsystem-request', text.endsWith('not found') ? 'failure' : undefined);
    return doc;
  }
  if ((m = STARTING.exec(text))) {
    ssh(doc).session = { type: m[1]!, ...(m[5] ? { id: Number(m[5]) } : {}) };
    setUser(doc, m[2]);
    setSource(doc, m[3], m[4]);
    classify(doc, ['session'], ['start'], 'session-started');
    return evidence(doc, [], ['P1d']);
  }
  if ((m = CLOSE_SESSION.exec(text))) {
    if (m[4]) ssh(doc).session = { id: Number(m[4]) };
    setUser(doc, m[1]);
    setSource(doc, m[2], m[3]);
    classify(doc, ['session'], ['end'], 'session-closed');
    return evidence(doc, [], ['P1f']);
  }
  if ((m = CONNECTION_FROM.exec(text))) {
    setSource(doc, m[1], m[2]);
    const dst: EcsDoc = { port: Number(m[4]) };
    if (/^[\d.:a-fA-F]+$/.test(m[3]!)) dst.ip = m[3]!;
    doc.destination = dst;
    return classify(doc, ['network'], ['connection', 'start'], 'connection-accepted');
  }
  if ((m = KEY_FOUND.exec(text))) {
    ssh(doc).key = { type: m[1]!, fingerprint: m[2]! };
    doc.file = { path: m[3]! };
    ssh(doc).authorized_keys_line = Number(m[4]);
    return classify(doc, ['authentication'], ['info'], 'key-found');
  }
  if ((m = REFUSED.exec(text))) {
    ev(doc).reason = m[1]!;
    if (m[2]) doc.file = { path: m[2] };
    return failedLogin(doc, 'authentication-refused', 'info');
  }
  if ((m = TIMEOUT.exec(text))) {
    setSource(doc, m[1], m[2]);
    ev(doc).reason = 'timeout before authentication';
    return networkEnd(doc, 'login-timeout');
  }
  if ((m = READ_ERROR.exec(text))) {
    setSource(doc, m[1], m[2]);
    ev(doc).reason = m[3]!;
    return networkEnd(doc, 'connection-error');
  }
  // Transport integrity errors: the connection is dropped (scanners, attacks, broken clients).
  if (text === 'Corrupted MAC on input.' || (m = /^Bad packet length (\d+)\.$/.exec(text))) {
    ev(doc).reason = text.replace(/\.$/, '');
    return networkEnd(doc, text.startsWith('Corrupted') ? 'corrupted-mac' : 'bad-packet-length');
  }
  if ((m = LISTENING.exec(text))) {
    // A wildcard address is not an address anyone connects from or to: server.address, not server.ip.
    const wildcard = m[1] === '0.0.0.0' || m[1] === '::';
    doc.server = { ...(!wildcard && /^[\d.:a-fA-F]+$/.test(m[1]!) ? { ip: m[1]! } : { address: m[1]! }), port: Number(m[2]) };
    return classify(doc, ['process'], ['start'], 'server-listening');
  }
  if ((m = /^Received signal (\d+); terminating\.?$/.exec(text))) {
    ssh(doc).signal = Number(m[1]);
    return classify(doc, ['process'], ['end'], 'terminating');
  }
  return null;
}

function received(doc: EcsDoc, m: RegExpExecArray): EcsDoc {
  // RECEIVED_PORT has 4 groups (host, port, code, reason); RECEIVED_OLD has 3 (host, code, reason).
  const withPort = m.length === 5;
  const host = m[1]!;
  const port = withPort ? m[2] : undefined;
  const code = Number(withPort ? m[3] : m[2]);
  const reason = (withPort ? m[4] : m[3])!;
  setSource(doc, host, port);
  ssh(doc).disconnect = { code, reason };
  ev(doc).reason = reason;
  networkEnd(doc, 'received-disconnect');
  // Code 11 (SSH_DISCONNECT_BY_APPLICATION) after authentication: the user logged out.
  if (!(ssh(doc).preauth) && /disconnected by user|logout/i.test(reason)) {
    (doc.event as EcsDoc).category = ['network', 'session'];
    return evidence(doc, [], ['P1c']);
  }
  return doc;
}

function negotiate(doc: EcsDoc, m: RegExpExecArray): EcsDoc {
  setSource(doc, m[1], m[2]);
  ev(doc).reason = m[3]!;
  return networkEnd(doc, 'negotiation-failed');
}
