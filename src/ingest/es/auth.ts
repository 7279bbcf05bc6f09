// The Vigil token inside the credentials an Elasticsearch client sends (CONTRACT section 3):
//   Authorization: ApiKey <base64(id:token)>   the id is anything (Beats and Logstash require one); the key is the token
//   Authorization: Basic <base64(user:token)>  the password is the token (or the user, when the password is empty)
//   Authorization: Bearer <token>              Vigil's own scheme
// `ApiKey <token>` with the raw token is accepted too: operators paste tokens where a key is expected.

const STRICT_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const PRINTABLE = /^[\x20-\x7e]+$/;

function decodeBase64Text(value: string): string | null {
  if (!STRICT_BASE64.test(value)) return null;
  const text = Buffer.from(value, 'base64').toString('utf8');
  return PRINTABLE.test(text) ? text : null;
}

export function tokenFromAuthorization(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  const value = m[2]!;
  switch (scheme) {
    case 'bearer':
      return value;
    case 'apikey': {
      const text = decodeBase64Text(value);
      if (text === null) return value;
      const colon = text.indexOf(':');
      return colon === -1 ? text : text.slice(colon + 1) || null;
    }
    case 'basic': {
      const text = decodeBase64Text(value);
      if (text === null) return null;
      const colon = text.indexOf(':');
      if (colon === -1) return null;
      return text.slice(colon + 1) || text.slice(0, colon) || null;
    }
    default:
      return null;
  }
}
