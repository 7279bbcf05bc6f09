// The tricky parts of the Windows decoder: the XML scanner on hostile input, one event read the same
// from every shape it arrives in, NXLog's zone-less times, and the small value readers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EcsDoc } from '../../../core/event.js';
import { parseXml, decodeEntities } from './xml.js';
import { fromXml, looksLikeEventXml } from './from-xml.js';
import { readWindowsJson } from './index.js';
import { mapWindows } from './map.js';
import { memberFromDn } from './security.js';
import { splitCommandLine, ipField, field } from './values.js';
import { keywordsHex } from './event.js';

test('entities and character references are decoded; unknown ones are kept as written', () => {
  assert.equal(decodeEntities('a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#65;&#x42;&#X43;'), 'a <b> & "c" \'d\' ABC');
  assert.equal(decodeEntities('&nbsp; &#xD800; &#1114112; &; & alone'), '&nbsp; &#xD800; &#1114112; &; & alone');
  assert.equal(decodeEntities('&amp;lt;'), '&lt;', 'decoded once, not twice');
});

test('the XML scanner reads elements, attributes (either quote), CDATA and comments', () => {
  const doc = parseXml(`<?xml version="1.0"?><!-- c --><ns:Event a='1' b="x&amp;y"><D Name="k">v &lt;1&gt;</D><E/><F><![CDATA[<raw & text>]]></F></ns:Event>`);
  assert.ok(doc?.complete);
  assert.equal(doc.root.name, 'Event');
  assert.deepEqual(doc.root.attrs, { a: '1', b: 'x&y' });
  assert.deepEqual(doc.root.children.map((c) => [c.name, c.text]), [['D', 'v <1>'], ['E', ''], ['F', '<raw & text>']]);
});

test('the XML scanner refuses what it should not read and stays linear on hostile input', () => {
  assert.equal(parseXml('<a><b></a>'), null, 'mismatched close');
  assert.equal(parseXml('<!DOCTYPE x [<!ENTITY e "boom">]><a>&e;</a>'), null, 'no DTDs');
  assert.equal(parseXml('<a b=unquoted>'), null);
  assert.equal(parseXml('not xml'), null);
  const deep = '<a>'.repeat(100_000);
  const t0 = performance.now();
  assert.equal(parseXml(deep), null, 'depth is bounded');
  const wide = '<a>' + '<b x="1"/>'.repeat(50_000) + '</a>';
  assert.equal(parseXml(wide), null, 'node count is bounded');
  const junk = '<a>' + '&'.repeat(200_000) + '</a>';
  assert.ok(parseXml(junk)?.complete);
  assert.ok(performance.now() - t0 < 2000, 'hostile inputs take linear time');
  const proto = parseXml('<a __proto__="x" constructor="y"/>');
  assert.equal(proto?.root.attrs['__proto__'], 'x');
  assert.equal(Object.getPrototypeOf(proto?.root.attrs), Object.prototype);
});

test('a record cut short is read as far as it goes and marked partial', () => {
  const ev = fromXml("<Event><System><EventID>4625</EventID><Channel>Security</Channel></System><EventData><Data Name='TargetUserName'>bob</Data><Data Name='IpAdd");
  assert.ok(ev);
  assert.equal(ev.eventData.TargetUserName, 'bob');
  const doc = mapWindows(ev) as any;
  assert.equal(doc.vigil.parse.status, 'partial');
  assert.equal(doc.user.name, 'bob');
});

test('the XML test is a prefix check', () => {
  assert.ok(looksLikeEventXml("  <Event xmlns='x'>"));
  assert.ok(looksLikeEventXml('<?xml version="1.0"?><Event>'));
  assert.ok(!looksLikeEventXml('<13>Nov 23 host app: <Event>'));
  assert.ok(!looksLikeEventXml('<Events>'.slice(0, 5)));
});

// One 4625, as each shipper writes it.
const SYSTEM = {
  provider: 'Microsoft-Windows-Security-Auditing',
  guid: '{54849625-5478-4994-a5ba-3e3b0328c30d}',
  time: '2026-11-23T08:03:05.000Z',
  computer: 'WS0142.corp.example.org',
};
const DATA: Record<string, string> = {
  SubjectUserSid: 'S-1-5-18', SubjectUserName: 'WS0142$', SubjectDomainName: 'CORP', SubjectLogonId: '0x3e7',
  TargetUserSid: 'S-1-0-0', TargetUserName: 'alice', TargetDomainName: 'CORP', Status: '0xc000006d',
  FailureReason: '%%2313', SubStatus: '0xc000006a', LogonType: '3', LogonProcessName: 'NtLmSsp ',
  AuthenticationPackageName: 'NTLM', WorkstationName: 'KALI', ProcessId: '0x0', ProcessName: '-',
  IpAddress: '203.0.113.77', IpPort: '61433',
};
const xml =
  `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='${SYSTEM.provider}' Guid='${SYSTEM.guid}'/>` +
  `<EventID>4625</EventID><Version>0</Version><Level>0</Level><Task>12544</Task><Opcode>0</Opcode><Keywords>0x8010000000000000</Keywords>` +
  `<TimeCreated SystemTime='${SYSTEM.time}'/><EventRecordID>901244</EventRecordID><Correlation/><Execution ProcessID='652' ThreadID='1408'/>` +
  `<Channel>Security</Channel><Computer>${SYSTEM.computer}</Computer><Security/></System><EventData>` +
  Object.entries(DATA).map(([k, v]) => `<Data Name='${k}'>${v}</Data>`).join('') +
  '</EventData></Event>';
const shapes: Record<string, EcsDoc> = {
  winlogbeat: {
    '@timestamp': SYSTEM.time,
    event: { code: '4625', provider: SYSTEM.provider },
    host: { name: 'ws0142' },
    winlog: {
      channel: 'Security', event_id: 4625, provider_name: SYSTEM.provider, provider_guid: SYSTEM.guid, computer_name: SYSTEM.computer,
      record_id: 901244, process: { pid: 652, thread: { id: 1408 } }, keywords: ['Audit Failure'], opcode: 'Info', task: 'Logon', event_data: DATA,
    },
  },
  nxlog: {
    EventTime: '2026-11-23 03:03:05', '@timestamp': '2026-11-23T08:03:06.412Z', Hostname: SYSTEM.computer, Keywords: -9218868437227405312,
    EventType: 'AUDIT_FAILURE', SeverityValue: 4, Severity: 'ERROR', EventID: 4625, SourceName: SYSTEM.provider, ProviderGuid: SYSTEM.guid,
    Version: 0, Task: 12544, OpcodeValue: 0, RecordNumber: 901244, ExecutionProcessID: 652, ThreadID: 1408, Channel: 'Security',
    Category: 'Logon', Opcode: 'Info', ...DATA, EventReceivedTime: '2026-11-23 03:03:06', SourceModuleName: 'eventlog', SourceModuleType: 'im_msvistalog',
  },
  evtx_dump: {
    Event: {
      '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
      System: {
        Provider: { '#attributes': { Name: SYSTEM.provider, Guid: SYSTEM.guid } }, EventID: 4625, Version: 0, Level: 0, Task: 12544, Opcode: 0,
        Keywords: '0x8010000000000000', TimeCreated: { '#attributes': { SystemTime: SYSTEM.time } }, EventRecordID: 901244, Correlation: null,
        Execution: { '#attributes': { ProcessID: 652, ThreadID: 1408 } }, Channel: 'Security', Computer: SYSTEM.computer, Security: null,
      },
      EventData: DATA,
    },
  },
  xmltodict: {
    Event: {
      System: {
        Provider: { '@Name': SYSTEM.provider, '@Guid': SYSTEM.guid }, EventID: { '@Qualifiers': '', '#text': '4625' }, Version: '0', Level: '0',
        Task: '12544', Opcode: '0', Keywords: '0x8010000000000000', TimeCreated: { '@SystemTime': SYSTEM.time }, EventRecordID: '901244',
        Execution: { '@ProcessID': '652', '@ThreadID': '1408' }, Channel: 'Security', Computer: SYSTEM.computer,
      },
      EventData: { Data: Object.entries(DATA).map(([k, v]) => ({ '@Name': k, '#text': v })) },
    },
  },
  wazuh: {
    data: {
      win: {
        system: {
          providerName: SYSTEM.provider, providerGuid: SYSTEM.guid, eventID: '4625', version: '0', level: '0', task: '12544', opcode: '0',
          keywords: '0x8010000000000000', systemTime: SYSTEM.time, eventRecordID: '901244', processID: '652', threadID: '1408',
          channel: 'Security', computer: SYSTEM.computer, severityValue: 'AUDIT_FAILURE',
        },
        eventdata: Object.fromEntries(Object.entries(DATA).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), v])),
      },
    },
  },
};

/** The fields every shape must agree on. */
function essentials(doc: EcsDoc): unknown {
  const d = doc as any;
  return {
    ts: d['@timestamp'], event: d.event, user: d.user, source: d.source, host: d.host, vigil: d.vigil,
    // Winlogbeat leaves out version 0; shippers resolve the logging account (winlog.user) differently.
    winlog: { ...d.winlog, version: undefined, user: undefined },
  };
}

test('one event reads the same from XML, Winlogbeat, NXLog, evtx_dump, xmltodict and Wazuh', () => {
  const fromXmlDoc = mapWindows(fromXml(xml)!);
  const want = essentials(fromXmlDoc) as any;
  assert.equal(want.event.outcome, 'failure');
  assert.equal(want.event.reason, 'User logon with misspelled or bad password');
  assert.deepEqual(want.source, { ip: '203.0.113.77', port: 61433, domain: 'KALI' });
  assert.deepEqual(want.vigil.requirements, ['B1.4', 'E5']);
  for (const [name, json] of Object.entries(shapes)) {
    const ev = readWindowsJson(json);
    assert.ok(ev, `${name} is recognised`);
    const got = essentials(mapWindows(ev)) as any;
    assert.deepEqual(got, want, name);
  }
});

test('records that only look a little like Windows events are not taken', () => {
  for (const json of [{ winlog: 'x' }, { EventID: 1 }, { Event: { System: 'x' } }, { win: { system: null } }, { data: { other: 1 } }, { message: 'hi' }]) {
    assert.equal(readWindowsJson(json as EcsDoc), null, JSON.stringify(json));
  }
});

test("NXLog's zone-less EventTime: the offset comes from a nearby @timestamp, else it is read as UTC", () => {
  const base = { EventID: 4624, Channel: 'Security', SourceName: 'Microsoft-Windows-Security-Auditing' };
  const at = (extra: EcsDoc) => readWindowsJson({ ...base, ...extra })!.system.timeCreated;
  assert.equal(at({ EventTime: '2026-11-23 10:00:01', '@timestamp': '2026-11-23T09:00:03.100Z' }), '2026-11-23T09:00:01.000Z', 'UTC+1');
  assert.equal(at({ EventTime: '2026-11-23 03:30:01', '@timestamp': '2026-11-23T08:00:02.000Z' }), '2026-11-23T08:00:01.000Z', 'UTC-4:30');
  assert.equal(at({ EventTime: '2026-11-23 10:00:01', '@timestamp': '2026-11-23T09:20:00.000Z' }), '2026-11-23T10:00:01.000Z', 'too far apart: UTC');
  assert.equal(at({ EventTime: '2026-11-23 10:00:01' }), '2026-11-23T10:00:01.000Z');
  assert.equal(at({ EventTime: '2026-11-23T10:00:01.5+02:00' }), '2026-11-23T08:00:01.500Z');
});

test('small readers: DNs, command lines, IPs, "-" values, keyword masks', () => {
  assert.deepEqual(memberFromDn('CN=Smith\\, Alice,OU=Finance,DC=corp,DC=example,DC=org'), { name: 'Smith, Alice', domain: 'corp.example.org' });
  assert.deepEqual(memberFromDn('bob'), { name: 'bob' });
  assert.deepEqual(splitCommandLine('"C:\\Program Files\\a.exe" -x "two words" a\\\\"b c" d""e'), ['C:\\Program Files\\a.exe', '-x', 'two words', 'a\\b c', 'de']);
  assert.equal(ipField('::ffff:10.0.0.5'), '10.0.0.5');
  assert.equal(ipField('::1'), '::1');
  assert.equal(ipField('-'), undefined);
  assert.equal(field({ a: '-', b: ' ', c: 'S-1-0-0', d: ['x', 'y'] }, 'a'), undefined);
  assert.equal(field({ a: '-', b: ' ', c: 'S-1-0-0', d: ['x', 'y'] }, 'c'), undefined);
  assert.equal(field({ d: ['x', 'y'] }, 'd'), 'x');
  assert.equal(keywordsHex(-9214364837600034816), '0x8020000000000000');
  assert.equal(keywordsHex('0x8010000000000000'), '0x8010000000000000');
});
