// PowerShell: Microsoft-Windows-PowerShell/Operational (4103 module logging, 4104 script blocks,
// 4105/4106) and the classic "Windows PowerShell" log (400/403 engine, 600 provider, 800 pipeline).
// The "Key = value" block those events carry (4103 ContextInfo, the classic events' detail parameter)
// is read into event_data without the spaces in its keys, as Elastic does, so HostApplication,
// EngineVersion, … are searchable; the original block is kept for Sigma rules that match on it.
import { categorise, put, type MapContext } from './context.js';
import { putValue, type WinValue } from './event.js';
import { basename, dirname, extension, field, intField, splitAccount, splitCommandLine } from './values.js';

export const POWERSHELL_CHANNELS = new Set(['Microsoft-Windows-PowerShell/Operational', 'PowerShellCore/Operational', 'Windows PowerShell']);

const ACTIONS: Record<string, [type: string, action: string]> = {
  '4103': ['info', 'executing-pipeline'],
  '4104': ['info', 'script-block-logged'],
  '4105': ['start', 'command-started'],
  '4106': ['end', 'command-stopped'],
  '400': ['start', 'engine-started'],
  '403': ['end', 'engine-stopped'],
  '600': ['info', 'provider-started'],
  '800': ['info', 'pipeline-executed'],
};

/** Which parameter of a classic event holds the key=value details. */
const CLASSIC_DETAILS: Record<string, string> = { '400': 'param3', '403': 'param3', '600': 'param3', '800': 'param2' };

export function mapPowerShell(ctx: MapContext): void {
  const { doc, id, data } = ctx;
  const kind = ACTIONS[id];
  categorise(doc, ['process'], [kind?.[0] ?? 'info'], kind?.[1] ?? 'powershell-event');
  const block = id === '4103' ? field(data, 'ContextInfo') : CLASSIC_DETAILS[id] ? field(data, CLASSIC_DETAILS[id]!) : undefined;
  if (block) mergeDetails(data, block);

  put(doc, 'process.entity_id', field(data, 'HostID') ?? field(data, 'HostId'));
  const cmd = field(data, 'HostApplication');
  if (cmd) {
    put(doc, 'process.command_line', cmd);
    const args = splitCommandLine(cmd);
    put(doc, 'process.args', args);
    put(doc, 'process.args_count', args.length);
  }
  put(doc, 'process.title', field(data, 'HostName'));
  put(doc, 'event.sequence', intField(data, 'SequenceNumber'));
  put(doc, 'powershell.id', field(data, 'ShellID'));
  put(doc, 'powershell.engine.version', field(data, 'EngineVersion'));
  put(doc, 'powershell.runspace_id', field(data, 'RunspaceID') ?? field(data, 'RunspaceId'));
  put(doc, 'powershell.pipeline_id', field(data, 'PipelineID') ?? field(data, 'PipelineId'));
  put(doc, 'powershell.process.executable_version', field(data, 'HostVersion'));
  put(doc, 'powershell.command.value', field(data, 'CommandLine'));
  put(doc, 'powershell.command.path', field(data, 'CommandPath'));
  put(doc, 'powershell.command.name', field(data, 'CommandName'));
  put(doc, 'powershell.command.type', field(data, 'CommandType'));
  put(doc, 'powershell.file.script_block_id', field(data, 'ScriptBlockId'));
  put(doc, 'powershell.file.script_block_text', field(data, 'ScriptBlockText'));
  put(doc, 'powershell.sequence', intField(data, 'MessageNumber'));
  put(doc, 'powershell.total', intField(data, 'MessageTotal'));

  const script = field(data, 'Path') ?? field(data, 'ScriptName');
  if (script) {
    put(doc, 'file.path', script);
    const name = basename(script);
    put(doc, 'file.name', name);
    put(doc, 'file.directory', dirname(script));
    put(doc, 'file.extension', extension(name));
  }

  // 4103's User is who ran the pipeline; a remoting session's ConnectedUser is who connected.
  const user = splitAccount(field(data, 'User'));
  const connected = splitAccount(field(data, 'ConnectedUser'));
  if (connected.name) {
    put(doc, 'source.user.name', connected.name);
    put(doc, 'source.user.domain', connected.domain);
    put(doc, 'destination.user.name', user.name);
    put(doc, 'destination.user.domain', user.domain);
    put(doc, 'user.name', connected.name);
    put(doc, 'user.domain', connected.domain);
  } else {
    put(doc, 'user.name', user.name);
    put(doc, 'user.domain', user.domain);
  }
}

/** Adds "Key Name = value" / "Key=value" lines to event_data (spaces dropped from keys), never overwriting. */
function mergeDetails(data: Record<string, WinValue>, block: string): void {
  for (const line of block.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).replace(/\s+/g, '');
    if (!key || !/^[A-Za-z][A-Za-z0-9]*$/.test(key) || Object.hasOwn(data, key)) continue;
    putValue(data, key, line.slice(eq + 1).trim());
  }
}
