// Every value modifier, each with a case it must match and one it must not, plus the plain-value rules
// (case-insensitive text, wildcards and escapes, numbers, booleans, null, multi-valued fields).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EcsDoc } from '../../core/event.js';
import { compileRule, type CompileOptions } from './compile.js';
import { RuleInvalid, RuleUnsupported } from './errors.js';
import { passthroughMapping } from './mapping.js';
import type { SigmaRule } from './types.js';

function rule(selection: unknown, extra: Record<string, unknown> = {}): SigmaRule {
  return {
    id: 'r',
    title: 't',
    level: 'medium',
    tags: [],
    logsource: {},
    file: 'test.yml',
    line: 1,
    raw: { detection: { selection, condition: 'selection', ...extra } },
  };
}

/** A one-entry rule over passthrough fields (names read as written). */
function matches(key: string, value: unknown, doc: EcsDoc, opts: CompileOptions = {}): boolean {
  return compileRule(rule({ [key]: value }), { mapping: passthroughMapping(), ...opts }).match(doc);
}

function both(key: string, value: unknown, yes: EcsDoc, no: EcsDoc, opts: CompileOptions = {}): void {
  assert.equal(matches(key, value, yes, opts), true, `${key}: ${JSON.stringify(value)} should match ${JSON.stringify(yes)}`);
  assert.equal(matches(key, value, no, opts), false, `${key}: ${JSON.stringify(value)} should not match ${JSON.stringify(no)}`);
}

const b64 = (s: string, enc: BufferEncoding = 'utf8'): string => Buffer.from(s, enc).toString('base64');

test('plain strings: whole value, case-insensitive', () => {
  both('Image', 'C:\\Windows\\System32\\cmd.exe', { Image: 'c:\\windows\\system32\\CMD.EXE' }, { Image: 'C:\\Windows\\System32\\cmd.exe.bak' });
});

test('wildcards * and ? and their escapes', () => {
  both('Image', '*\\cmd.exe', { Image: 'C:\\x\\cmd.exe' }, { Image: 'C:\\x\\cmd.exe2' });
  both('Image', 'cmd?.exe', { Image: 'cmd2.exe' }, { Image: 'cmd22.exe' });
  both('Image', 'a*b*c', { Image: 'aXXbYYc' }, { Image: 'aXXcYYb' });
  // \* is a literal star, \\ a backslash, a backslash before anything else is itself.
  both('Path', 'C:\\dir\\\\*', { Path: 'C:\\dir\\file' }, { Path: 'C:\\dirfile' });
  both('Path', 'a\\*b', { Path: 'a*b' }, { Path: 'axxb' });
  both('Path', 'a\\?b', { Path: 'a?b' }, { Path: 'axb' });
  both('Path', '\\\\\\\\server', { Path: '\\\\server' }, { Path: '\\server' });
});

test('contains, startswith, endswith', () => {
  both('CommandLine|contains', ' -enc ', { CommandLine: 'powershell -ENC abc' }, { CommandLine: 'powershell -encodedcommand' });
  both('CommandLine|startswith', 'powershell', { CommandLine: 'PowerShell -x' }, { CommandLine: 'x powershell' });
  both('Image|endswith', '\\powershell.exe', { Image: 'C:\\WINDOWS\\PowerShell.exe' }, { Image: 'C:\\powershell.exe.old' });
  // Wildcards still work inside them.
  both('CommandLine|contains', 'net*user', { CommandLine: 'cmd /c net  user x' }, { CommandLine: 'cmd /c user net' });
});

test('all: every value, not any', () => {
  both('CommandLine|contains|all', ['-nop', '-w hidden'], { CommandLine: 'ps -nop -w hidden' }, { CommandLine: 'ps -nop' });
  // Without it a list is OR.
  assert.equal(matches('CommandLine|contains', ['-nop', '-w hidden'], { CommandLine: 'ps -nop' }), true);
});

test('re: case-sensitive unless re|i; re|m and re|s change ^ and .', () => {
  both('CommandLine|re', 'Invoke-[A-Z]', { CommandLine: 'x Invoke-Mimikatz' }, { CommandLine: 'x invoke-mimikatz' });
  both('CommandLine|re|i', 'invoke-[a-z]+katz', { CommandLine: 'x Invoke-Mimikatz' }, { CommandLine: 'x Invoke-Mimi' });
  both('Text|re|m', '^second$', { Text: 'first\nsecond\nthird' }, { Text: 'first second third' });
  assert.equal(matches('Text|re', '^second$', { Text: 'first\nsecond\nthird' }), false);
  both('Text|re|s', 'a.b', { Text: 'a\nb' }, { Text: 'a\n\nb' });
  assert.equal(matches('Text|re', 'a.b', { Text: 'a\nb' }), false);
  // A leading PCRE (?i) becomes the i flag.
  both('CommandLine|re', '(?i)invoke-expression', { CommandLine: 'INVOKE-EXPRESSION' }, { CommandLine: 'invoke expression' });
  assert.throws(() => matches('x|re', 'a(?i)b', {}), RuleUnsupported);
  assert.throws(() => matches('x|re', '(?P<n>a)', {}), RuleUnsupported);
  assert.throws(() => matches('x|re', '(unclosed', {}), RuleUnsupported);
  // .{n,}: a text shorter than n is not tried, longer ones are.
  both('CommandLine|re', '.{20,}', { CommandLine: 'x'.repeat(25) }, { CommandLine: 'x'.repeat(19) });
});

test('cidr: IPv4 and IPv6, IPv4-mapped addresses, lists', () => {
  both('DestinationIp|cidr', '10.0.0.0/8', { DestinationIp: '10.200.3.4' }, { DestinationIp: '11.0.0.1' });
  both('DestinationIp|cidr', ['192.168.0.0/16', '172.16.0.0/12'], { DestinationIp: '172.31.255.255' }, { DestinationIp: '172.32.0.1' });
  both('DestinationIp|cidr', 'fe80::/10', { DestinationIp: 'FE80::1%eth0' }, { DestinationIp: 'fec0::1' });
  both('DestinationIp|cidr', '2001:db8::/32', { DestinationIp: '2001:db8:ffff::1' }, { DestinationIp: '2001:db9::1' });
  both('DestinationIp|cidr', '127.0.0.0/8', { DestinationIp: '::ffff:127.0.0.1' }, { DestinationIp: '::1' });
  assert.equal(matches('DestinationIp|cidr', '10.0.0.0/8', { DestinationIp: 'not an ip' }), false);
  assert.throws(() => matches('DestinationIp|cidr', '10.0.0.0/33', {}), RuleInvalid);
});

test('base64: the encoded value, matched like any text', () => {
  both('Data|base64', 'http://', { Data: b64('http://') }, { Data: b64('https:/') });
  both('Data|base64|contains', 'http://', { Data: `xx${b64('http://')}yy` }, { Data: 'xx' });
  assert.throws(() => matches('Data|base64', 'a*b', {}), RuleUnsupported);
});

test('base64offset: the three shifts of a value inside a longer base64 text', () => {
  // The three forms the Sigma documentation lists for http://, each found inside a longer text.
  for (const form of ['aHR0cDovL', 'h0dHA6Ly', 'odHRwOi8v']) {
    assert.equal(matches('CommandLine|base64offset|contains', 'http://', { CommandLine: `x${form}y` }), true, form);
  }
  for (const prefix of ['', 'a', 'ab', 'abc']) {
    assert.equal(matches('CommandLine|base64offset|contains', '/bin/bash', { CommandLine: `x ${b64(`${prefix}/bin/bash -i`)}` }), true, `offset ${prefix.length}`);
  }
  assert.equal(matches('CommandLine|base64offset|contains', '/bin/bash', { CommandLine: b64('/bin/sh -i') }), false);
});

test('utf16le / wide / utf16be / utf16 encode before base64', () => {
  // A PowerShell -EncodedCommand: base64 of UTF-16LE text.
  const encoded = b64('IEX (New-Object Net.WebClient)', 'utf16le');
  both('CommandLine|utf16le|base64offset|contains', 'New-Object', { CommandLine: `powershell -enc ${encoded}` }, { CommandLine: `powershell -enc ${b64('IEX (New-Item)', 'utf16le')}` });
  both('CommandLine|wide|base64offset|contains', 'Net.WebClient', { CommandLine: `powershell -enc ${encoded}` }, { CommandLine: `powershell -enc ${b64('Net.WebClient')}` });
  both('Data|utf16be|base64', 'cmd', { Data: 'AGMAbQBk' }, { Data: 'YwBtAGQA' });
  both('Data|utf16|base64', 'cmd', { Data: '//5jAG0AZAA=' }, { Data: 'YwBtAGQA' });
  both('Data|utf16le|base64', 'cmd', { Data: 'YwBtAGQA' }, { Data: 'AGMAbQBk' });
});

test('windash: - and / and the dash family are interchangeable', () => {
  const key = 'CommandLine|contains|windash';
  both(key, ' -enc ', { CommandLine: 'powershell /enc x' }, { CommandLine: 'powershell +enc x' });
  assert.equal(matches(key, ' -enc ', { CommandLine: 'powershell \u2013enc x' }), true);
  assert.equal(matches(key, ' /enc ', { CommandLine: 'powershell \u2014ENC x' }), true);
  assert.equal(matches(key, ' -enc ', { CommandLine: 'powershell \u2015enc x' }), true);
  both('CommandLine|windash|contains', ['-s -t'], { CommandLine: 'x /s /t' }, { CommandLine: 'x /s t' });
});

test('exists: the field is there (even null) or not', () => {
  both('User|exists', true, { User: null }, { Other: 1 });
  both('User|exists', false, { Other: 1 }, { User: 'x' });
  assert.throws(() => matches('User|exists', 'maybe', {}), RuleInvalid);
});

test('expand: %placeholders% from the options; an unknown one makes the rule unsupported', () => {
  const opts = { placeholders: { Admins: ['root', 'adm*'] } };
  both('User|expand', '%Admins%', { User: 'administrator' }, { User: 'guest' }, opts);
  both('Host|expand', 'srv-%Admins%-01', { Host: 'SRV-root-01' }, { Host: 'srv-bob-01' }, opts);
  // \% is a plain percent sign.
  both('Text|expand', '50\\%Admins%', { Text: '50%admins%' }, { Text: '50root' }, opts);
  assert.throws(() => matches('User|expand', '%Servers%', {}, opts), (e: unknown) => e instanceof RuleUnsupported && /%Servers%/.test(e.reason));
  // Without expand a placeholder is literal text.
  both('User', '%Admins%', { User: '%admins%' }, { User: 'root' }, opts);
});

test('fieldref: compares two fields of the event', () => {
  both('TargetUserName|fieldref', 'SubjectUserName', { TargetUserName: 'Bob', SubjectUserName: 'bob' }, { TargetUserName: 'bob', SubjectUserName: 'alice' });
  both('Image|fieldref|endswith', 'OriginalName', { Image: 'C:\\x\\evil.exe', OriginalName: 'EVIL.exe' }, { Image: 'C:\\x\\evil.exe', OriginalName: 'good.exe' });
  assert.equal(matches('A|fieldref', 'B', { A: 'x' }), false);
});

test('gt, gte, lt, lte: numbers and numeric text', () => {
  both('Size|gt', 100, { Size: 101 }, { Size: 100 });
  both('Size|gte', 100, { Size: '100' }, { Size: '99' });
  both('Size|lt', 100, { Size: 99.5 }, { Size: 100 });
  both('Size|lte', '100', { Size: 100 }, { Size: 'big' });
  assert.throws(() => matches('Size|gt', 'ten', {}), RuleInvalid);
});

test('cased: exact case', () => {
  both('Name|cased', 'Mimikatz', { Name: 'Mimikatz' }, { Name: 'mimikatz' });
  both('CommandLine|contains|cased', 'IEX', { CommandLine: 'x IEX y' }, { CommandLine: 'x iex y' });
});

test('neq: none of the values', () => {
  both('Status|neq', ['0x0', '0x1'], { Status: '0x2' }, { Status: '0X1' });
});

test('numbers compare numerically, with numeric text alike', () => {
  both('EventID', 4625, { EventID: '4625' }, { EventID: '46250' });
  both('EventID', 4625, { EventID: 4625 }, { EventID: 4624 });
  both('EventID', [4624, 4625, 4634, 4647, 4648], { EventID: '4648' }, { EventID: '4672' });
  // Written as text, it is text.
  both('Status', '0xC000006D', { Status: '0xc000006d' }, { Status: 3221225581 });
});

test('booleans, empty strings and null', () => {
  both('Enabled', true, { Enabled: 'True' }, { Enabled: false });
  both('Name', '', { Name: '' }, { Name: 'x' });
  both('Name', null, { Other: 1 }, { Name: 'x' });
  assert.equal(matches('Name', null, { Name: null }), true);
  assert.equal(matches('Name', null, { Name: [] }), true);
  // A list with null: absent, or one of the values.
  both('Name', [null, 'a'], { Name: 'A' }, { Name: 'b' });
  // '*' is "any value".
  both('Name', '*', { Name: 'anything' }, { Name: null });
});

test('multi-valued event fields: any element matches', () => {
  both('Tags|contains', 'admin', { Tags: ['user', 'domain admins'] }, { Tags: ['user', 'guest'] });
  both('Tags|contains|all', ['user', 'admin'], { Tags: ['user', 'admin'] }, { Tags: ['user', 'guest'] });
  both('ids', 3, { ids: [1, 2, 3] }, { ids: [1, 2] });
});

test('modifier errors: unknown, misplaced, conflicting', () => {
  assert.throws(() => matches('A|sorta', 'x', {}), (e: unknown) => e instanceof RuleUnsupported && /unknown modifier 'sorta'/.test(e.reason));
  assert.throws(() => matches('A|i', 'x', {}), (e: unknown) => e instanceof RuleInvalid && /only follows 're'/.test(e.reason));
  assert.throws(() => matches('A|startswith|endswith', 'x', {}), RuleInvalid);
  assert.throws(() => matches('A|re|cidr', 'x', {}), RuleInvalid);
  assert.throws(() => matches('A|contains|re', 'x', {}), RuleInvalid);
  assert.throws(() => matches('A|hour', 3, {}), (e: unknown) => e instanceof RuleUnsupported && /time modifier/.test(e.reason));
  assert.throws(() => matches('A', [], {}), RuleInvalid);
  assert.throws(() => matches('A', { nested: 1 }, {}), RuleInvalid);
});
